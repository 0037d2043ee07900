import { View } from "@tarojs/components";
import { navigate } from "../../lib/auth-guard";
import { PAGES } from "../../services/routes";
import type { Bookable } from "./load-people";

/** 就诊人: the account's people; only those with a running contract can be picked. */
export function PeoplePicker({
  people,
  person,
  onPick,
}: {
  people: Bookable[];
  person: Bookable | null;
  onPick: (residentId: string) => void;
}) {
  return (
    <View className="card">
      <View className="section-title">就诊人</View>
      <View className="choices" id="appt-people">
        {people.map((p) => {
          const active = person?.residentId === p.residentId;
          return (
            <View
              key={p.residentId}
              id={`appt-person-${p.residentId}`}
              className={`choice${active ? " choice--active" : ""}${p.contract ? "" : " choice--disabled"}`}
              onClick={() => p.contract && onPick(p.residentId)}
            >
              <View className="choice__head">
                <View className="choice__title">
                  {active ? "✓ " : ""}
                  {p.name}
                  <View className="choice__badge">{p.relation}</View>
                </View>
                {p.contract ? <View className="choice__extra">{p.contract.teamName}</View> : null}
              </View>
              {p.contract ? null : p.pending ? (
                <View className="choice__desc" id={`appt-person-${p.residentId}-pending`}>
                  签约待审核，审核通过后即可预约
                </View>
              ) : (
                <View className="choice__desc" id={`appt-person-${p.residentId}-unsigned`}>
                  请先签约
                  <View
                    className="link"
                    id={`appt-person-${p.residentId}-sign`}
                    onClick={(e) => {
                      e.stopPropagation();
                      navigate(`${PAGES.sign}?residentId=${encodeURIComponent(p.residentId)}`);
                    }}
                  >
                    去签约 ›
                  </View>
                </View>
              )}
            </View>
          );
        })}
      </View>
      <View className="form-field__hint">只能向签约生效的家庭医生团队预约。</View>
    </View>
  );
}

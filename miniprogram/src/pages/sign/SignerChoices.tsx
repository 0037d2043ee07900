import { View } from "@tarojs/components";
import { Tag } from "../../components/ui";
import { navigate } from "../../lib/auth-guard";
import { GROUP_LABELS, labelOf } from "../../lib/labels";
import { PAGES } from "../../services/routes";
import type { Signer } from "./load-sign";

/** Step 1: who signs; someone who already holds a contract is shown but cannot be chosen. */
export function SignerChoices({
  signers,
  signer,
  chooseSigner,
}: {
  signers: Signer[];
  signer: Signer | null;
  chooseSigner: (s: Signer) => void;
}) {
  return (
    <>
      <View className="choices" id="sign-people">
        {signers.map((s) => (
          <View
            key={s.residentId}
            id={`sign-person-${s.residentId}`}
            className={`choice${signer?.residentId === s.residentId ? " choice--active" : ""}${
              s.open ? " choice--disabled" : ""
            }`}
            onClick={() => chooseSigner(s)}
          >
            <View className="choice__head">
              <View className="choice__title">
                {s.name}
                <View className="choice__badge">{s.relation}</View>
              </View>
              {s.open ? (
                <Tag background="#eef1f0" color="#5f6b66">
                  {s.open.statusName}
                </Tag>
              ) : null}
            </View>
            <View className="choice__desc">
              {s.age} 岁
              {s.groups.length ? ` · ${s.groups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}` : ""}
            </View>
            {s.open ? (
              <View className="choice__desc">已与「{s.open.teamName}」签约，不能重复签约</View>
            ) : null}
          </View>
        ))}
      </View>
      <View className="form-field__hint">
        为家人签约？请先在「家庭成员」中添加。
        <View className="link" id="sign-to-family" onClick={() => navigate(PAGES.family)}>
          添加家庭成员 ›
        </View>
      </View>
    </>
  );
}

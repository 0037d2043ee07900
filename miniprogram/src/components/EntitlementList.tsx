import { View } from "@tarojs/components";
import { progressOf } from "../lib/contracts";
import { ENTITLEMENT_LABELS, labelOf } from "../lib/labels";
import type { Entitlement } from "../services/types";
import { Progress } from "./ui";

/**
 * Fulfilment (履约) of a contract: one row per promised service, "慢病随访 2/4" with a bar.
 * Each row gets the id `<idPrefix>-<type>`, its count `<idPrefix>-<type>-count`.
 */
export function EntitlementList({
  idPrefix,
  entitlements,
}: {
  idPrefix: string;
  entitlements: Entitlement[];
}) {
  if (entitlements.length === 0) return null;
  return (
    <View className="entitlements" id={idPrefix}>
      {entitlements.map((e) => {
        const progress = progressOf(e);
        const name = e.name || labelOf(ENTITLEMENT_LABELS, e.type);
        return (
          <View key={e.type} className="entitlement" id={`${idPrefix}-${e.type}`}>
            <View className="entitlement__head">
              <View className="entitlement__name">{name}</View>
              <View
                className={`entitlement__count${progress.done ? " entitlement__count--done" : ""}`}
                id={`${idPrefix}-${e.type}-count`}
              >
                {progress.text}
              </View>
            </View>
            <Progress
              percent={progress.percent}
              color={progress.done ? "#1f8a70" : "#2fa58a"}
              background="#e3ebe8"
              strokeWidth="8"
              ariaLabel={`${name} 已完成 ${progress.text}`}
            />
          </View>
        );
      })}
    </View>
  );
}

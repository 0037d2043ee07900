import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { useAsync } from "../lib/use-async";
import { listHomeVisitRequests, requestHomeVisit, residentPlan } from "../services/care";
import { PAGES } from "../services/routes";
import { FormField } from "./FormField";
import { Button, Input } from "./ui";

/**
 * The contract card's plan (issue 16): what the contract year still holds (assessment, follow-ups,
 * health education, home visit), each with "去预约" where a slot type books it, and 申请上门服务
 * with the latest request's state.
 */
export function CarePlan({ residentId, idPrefix }: { residentId: string; idPrefix: string }) {
  const state = useAsync(async () => {
    const [plan, requests] = await Promise.all([residentPlan(residentId), listHomeVisitRequests(residentId)]);
    return { plan, latest: requests.items[0] ?? null };
  });
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const data = state.data;
  if (!data || data.plan.items.length === 0) return null;
  const open = data.latest && (data.latest.status === "open" || data.latest.status === "scheduled");

  const submit = async () => {
    if (!reason.trim()) {
      setError("请填写申请原因");
      return;
    }
    setBusy(true);
    try {
      const created = await requestHomeVisit({ residentId, reason: reason.trim(), preferredDates: [] });
      state.setData({ ...data, latest: created });
      setAsking(false);
      void Taro.showToast({ title: "已提交申请", icon: "none" }).catch(() => undefined);
    } catch {
      // request() showed the server's message.
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="care-plan" id={`${idPrefix}-plan`}>
      <View className="care-plan__title">本年度服务计划</View>
      {data.plan.items.map((i) => (
        <View key={i.item} className="care-plan__row" id={`${idPrefix}-plan-${i.item}`}>
          <View className="care-plan__name">
            {i.name}
            <View className="muted">
              {i.done >= i.expected ? "已完成" : `${i.done}/${i.expected}，请在 ${i.dueBy} 前完成`}
            </View>
          </View>
          {i.serviceType && i.done < i.expected && i.serviceType !== "home_visit" ? (
            <Button
              size="small"
              fill="outline"
              id={`${idPrefix}-plan-${i.item}-book`}
              onClick={() => void Taro.navigateTo({ url: PAGES.appointments }).catch(() => undefined)}
            >
              去预约
            </Button>
          ) : null}
        </View>
      ))}
      {data.latest ? (
        <View className="notice notice--info" id={`${idPrefix}-home-visit-status`}>
          上门服务申请：{data.latest.statusName}
          {data.latest.startsAt && data.latest.status === "scheduled"
            ? `（${new Date(data.latest.startsAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}）`
            : ""}
          {data.latest.declineReason ? `：${data.latest.declineReason}` : ""}
        </View>
      ) : null}
      {!open && !asking ? (
        <Button fill="outline" id={`${idPrefix}-ask-home-visit`} onClick={() => setAsking(true)}>
          申请上门服务
        </Button>
      ) : null}
      {asking ? (
        <View className="inline-form" id={`${idPrefix}-home-visit-form`}>
          <FormField id={`${idPrefix}-home-visit-reason`} label="申请原因" required error={error}>
            <Input
              id={`${idPrefix}-home-visit-reason`}
              name="reason"
              placeholder="如：行动不便，独居老人"
              value={reason}
              maxLength={200}
              onChange={(v) => {
                setReason(v);
                setError(null);
              }}
            />
          </FormField>
          <View className="actions actions--row">
            <Button
              type="primary"
              id={`${idPrefix}-home-visit-submit`}
              loading={busy}
              onClick={() => void submit()}
            >
              提交申请
            </Button>
            <Button fill="none" id={`${idPrefix}-home-visit-cancel`} onClick={() => setAsking(false)}>
              取消
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}

import type { SubscribePurpose } from "@shared/schemas/platform";
import { View } from "@tarojs/components";
import { isWeapp } from "../lib/platform";
import { configuredPurposes, PURPOSE_LABELS, useSubscribe } from "../lib/subscribe";
import { SubscribeStatus } from "./SubscribeStatus";
import { Button } from "./ui";

const ALL: readonly SubscribePurpose[] = ["visitReminder", "notice", "contractResult", "survey"];

/**
 * The explicit 订阅提醒 control: one tap asks WeChat for the reminders the centre configured
 * (at most three at a time) and shows which ones she will get.
 */
export function SubscribeCard({
  purposes = ALL,
  id = "subscribe",
}: {
  purposes?: readonly SubscribePurpose[];
  id?: string;
}) {
  const subscribe = useSubscribe();
  if (!isWeapp()) {
    return (
      <View className="card" id={id}>
        <View className="section-title">微信提醒</View>
        <View className="muted" id={`${id}-unsupported`}>
          订阅消息仅在微信小程序中可用；在浏览器中请到「健康通知」查看提醒。
        </View>
      </View>
    );
  }
  const offered = configuredPurposes(purposes);
  // The handler's first statement is the WeChat request: nothing may run before it.
  const onTap = () => void subscribe.request(purposes);
  return (
    <View className="card" id={id}>
      <View className="section-title">微信提醒</View>
      {subscribe.loadError ? (
        <View className="notice notice--error" id={`${id}-load-error`}>
          {subscribe.loadError}
        </View>
      ) : !subscribe.ready ? (
        <View className="muted">正在加载提醒设置…</View>
      ) : offered.length === 0 ? (
        <View className="muted" id={`${id}-none`}>
          社区卫生服务中心暂未开通微信提醒，请在「健康通知」中查看消息。
        </View>
      ) : (
        <>
          <View className="muted" id={`${id}-offered`}>
            可订阅：{offered.map((o) => PURPOSE_LABELS[o.purpose]).join("、")}。每次同意可收到一条提醒。
          </View>
          <Button type="primary" id={`${id}-request`} onClick={onTap}>
            订阅提醒
          </Button>
        </>
      )}
      <SubscribeStatus outcome={subscribe.outcome} id={`${id}-status`} />
    </View>
  );
}

import { View } from "@tarojs/components";
import { outcomeText, type SubscribeOutcome } from "../lib/subscribe";

/** One line telling the resident which WeChat reminders she will get (or why not). */
export function SubscribeStatus({ outcome, id }: { outcome: SubscribeOutcome | null; id: string }) {
  const text = outcomeText(outcome);
  if (!text) return null;
  const tone = text.tone === "ok" ? "notice--info" : text.tone === "warn" ? "notice--warn" : "notice--error";
  return (
    <View className={`notice ${tone}`} id={id} data-status={outcome?.status}>
      {text.text}
    </View>
  );
}

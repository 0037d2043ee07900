import Taro from "@tarojs/taro";
import { recordSubscriptions } from "../services/notices";

/** WeChat subscribe-message templates (one-time grants; each grant allows one push). */
export const TEMPLATES = {
  healthNotice: "tmpl-health-notice",
  appointmentReminder: "tmpl-appointment-reminder",
} as const;

type Answer = "accept" | "reject" | "ban" | "filter";

/**
 * Asks for one-time subscriptions at a natural moment (after reading a notice, after booking) and
 * tells the server what the user answered. WeChat only: H5 has no subscribe messages, so it is
 * skipped there. Never throws: a refusal or a failure only means no push.
 */
export async function askSubscriptions(templateIds: readonly string[] = Object.values(TEMPLATES)) {
  if (process.env.TARO_ENV !== "weapp") return;
  try {
    const answer = (await Taro.requestSubscribeMessage({
      tmplIds: [...templateIds],
      entityIds: [],
    } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>;
    const results: Record<string, Answer> = {};
    for (const id of templateIds) {
      const value = answer[id];
      if (value === "accept" || value === "reject" || value === "ban" || value === "filter")
        results[id] = value;
    }
    if (Object.keys(results).length > 0) await recordSubscriptions({ results });
  } catch {
    // Declined, unsupported or offline: the in-app inbox stays the channel of record.
  }
}

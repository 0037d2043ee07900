import { getUser, listRepresentatives } from "../data/identity-repo.js";
import { clearGrant, takeGrant } from "../data/notices-repo.js";
import { decryptPii } from "../lib/pii.js";
import { sendSubscribeMessage } from "../lib/wechat.js";

export interface PushMessage {
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}

/**
 * One WeChat subscribe message for a resident, to the first account of their family that holds a
 * one-time grant for the template; the grant is used up. WeChat's refusal (43101) clears our
 * ledger instead of being retried; without any grant nothing is sent (the inbox has it anyway).
 */
export async function pushToFamily(
  residentId: string,
  message: PushMessage,
): Promise<"sent" | "refused" | "none"> {
  for (const { userId } of await listRepresentatives(residentId)) {
    if (!(await takeGrant(userId, message.templateId))) continue;
    const user = await getUser(userId);
    const openidEnc = (user as { openidEnc?: string } | undefined)?.openidEnc;
    if (!openidEnc) continue;
    const result = await sendSubscribeMessage({ openid: await decryptPii(openidEnc), ...message });
    if (result === "refused") await clearGrant(userId, message.templateId);
    return result === "sent" ? "sent" : "refused";
  }
  return "none";
}

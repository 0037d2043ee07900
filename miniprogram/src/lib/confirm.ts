import Taro from "@tarojs/taro";

/**
 * Asks before an action that cannot be undone (Taro.showModal); true only on 确认. A modal that
 * failed to open counts as cancelled: nothing irreversible happens without an answer.
 */
export async function confirm(options: {
  title: string;
  content: string;
  confirmText: string;
  cancelText?: string;
  /** Red for what deletes (注销账号). */
  confirmColor?: string;
}): Promise<boolean> {
  try {
    return (await Taro.showModal({ cancelText: "再想想", ...options })).confirm;
  } catch {
    return false;
  }
}

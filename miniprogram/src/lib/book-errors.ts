import { ApiError } from "../services/request";

/** What a failed booking means, in plain Chinese; `retry` when the answer was lost (same key again). */
export function bookErrorText(error: unknown): { code: string; text: string; retry: boolean } {
  if (!(error instanceof ApiError)) return { code: "UNKNOWN", text: "预约失败，请稍后再试", retry: true };
  const code = error.code;
  const text = (() => {
    switch (code) {
      case "NOT_SIGNED":
        return "请先与该团队签约，签约生效后才能预约。";
      case "NOT_ELIGIBLE":
        return `${error.message}，请选择其他服务。`;
      case "DUPLICATE_BOOKING":
        return "已预约过该时段，可在「我的预约」中查看。";
      case "BOOKING_LIMIT":
        return `${error.message}。可在「我的预约」中取消不需要的预约。`;
      case "SLOT_FULL":
        return "该时段刚刚约满，可以加入候补。";
      case "SLOT_CLOSED":
      case "SLOT_PAST":
        return error.message;
      case "NETWORK_ERROR":
        return "网络不稳定，未收到预约结果。请点「重试」，重试不会重复预约。";
      default:
        return error.status >= 500 ? "服务暂时不可用，请点「重试」，重试不会重复预约。" : error.message;
    }
  })();
  return { code, text, retry: code === "NETWORK_ERROR" || error.status >= 500 };
}

import Taro from "@tarojs/taro";

/** The one place that dials (WeChat's makePhoneCall), so component tests can stub it. */
export async function dial(phoneNumber: string): Promise<void> {
  try {
    await Taro.makePhoneCall({ phoneNumber });
  } catch {
    // Cancelled by the user, or not available (H5 without a dialer): nothing more to do.
  }
}

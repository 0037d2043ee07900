import { maskPhone } from "@shared/mask";
import Taro from "@tarojs/taro";

/**
 * The one place the app dials: `Taro.makePhoneCall` opens the phone's dialler with the number
 * filled in (WeChat asks the user to confirm). Component tests stub this module's Taro call.
 */
export async function callPhone(phoneNumber: string): Promise<boolean> {
  try {
    await Taro.makePhoneCall({ phoneNumber });
    return true;
  } catch {
    // Cancelled by the user, or no dialler (desktop browser): nothing to report.
    return false;
  }
}

/** A service line shown on screen: first 3 and last 4 characters, as every phone in the app. */
export const phoneText = (phone: string) => maskPhone(phone.replace(/[\s-]/g, ""));

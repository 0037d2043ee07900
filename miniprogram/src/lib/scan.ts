import Taro from "@tarojs/taro";

/** The scanner could not open (no camera permission, no camera): the caller says so in Chinese. */
export class ScanUnavailable extends Error {}

/**
 * The one place the app opens the camera for a QR code (`Taro.scanCode`). Null when the user closed
 * the scanner, which is a choice, not a failure.
 */
export async function scanQr(): Promise<string | null> {
  try {
    const result = await Taro.scanCode({ onlyFromCamera: false, scanType: ["qrCode"] });
    return result.result ?? "";
  } catch (err) {
    const message = err && typeof err === "object" && "errMsg" in err ? String(err.errMsg) : "";
    if (message.includes("cancel")) return null;
    throw new ScanUnavailable(message || "scanCode failed");
  }
}

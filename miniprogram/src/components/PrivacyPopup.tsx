import { Button as TaroButton, View } from "@tarojs/components";
import { useEffect } from "react";
import { navigate } from "../lib/auth-guard";
import {
  agreePrivacy,
  declinePrivacy,
  PRIVACY_AGREE_BUTTON_ID,
  privacyShown,
  usePrivacyRequest,
} from "../lib/privacy";
import { PAGES } from "../services/routes";
import { Button, Popup } from "./ui";

const PURPOSES: Record<string, string> = {
  scanCode: "使用摄像头扫描邀请二维码",
  setClipboardData: "把邀请码复制到剪贴板",
  getClipboardData: "读取剪贴板中的邀请码",
  makePhoneCall: "拨打家庭医生团队电话",
};

/** Our own dialog for WeChat's privacy gate: agree (WeChat's agree button), decline, or read the policy. */
export function PrivacyPopup() {
  const referrer = usePrivacyRequest();
  useEffect(() => {
    if (referrer !== null) privacyShown();
  }, [referrer]);
  const purpose = referrer === null ? "" : (PURPOSES[referrer] ?? "使用需要您授权的功能");
  // The overlay does not close it: WeChat waits for an answer, so only agree or decline may end it.
  return (
    <Popup visible={referrer !== null} position="bottom" round closeOnOverlayClick={false}>
      {referrer === null ? null : (
        <View className="sheet" id="privacy-popup">
          <View className="sheet__title">隐私保护提示</View>
          <View className="policy__body">
            为了{purpose}，需要您同意《家医隐私政策》。我们只在您本次操作中使用这项权限，不会用于其他用途。
          </View>
          <View className="link" id="privacy-popup-policy" onClick={() => navigate(PAGES.privacy)}>
            阅读《家医隐私政策》全文 ›
          </View>
          <View className="actions">
            <TaroButton
              id={PRIVACY_AGREE_BUTTON_ID}
              className="privacy-agree"
              openType="agreePrivacyAuthorization"
              onAgreePrivacyAuthorization={agreePrivacy}
            >
              同意并继续
            </TaroButton>
            <Button block fill="none" id="privacy-decline" onClick={declinePrivacy}>
              不同意
            </Button>
          </View>
        </View>
      )}
    </Popup>
  );
}

import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { FormField } from "../../components/FormField";
import { PageShell } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import { afterLoginGo } from "../../lib/auth-guard";
import { errorMessage } from "../../lib/use-async";
import { loginWithOpenid, loginWithWechat } from "../../services/auth";
import { getMe } from "../../services/me";
import { getConfig } from "../../services/platform";
import { PAGES } from "../../services/routes";
import { getConsent } from "../../services/session";

/** The WeChat build logs in with wx.login; the H5 build (local stage) uses devLogin with an openid. */
const IS_WEAPP = process.env.TARO_ENV === "weapp";

const DEMO_ACCOUNTS: { openid: string; label: string }[] = [
  { openid: "demo-manager", label: "中心管理员" },
  { openid: "demo-doctor-1", label: "家庭医生（1组）" },
  { openid: "demo-nurse-1", label: "社区护士（1组）" },
  { openid: "demo-district", label: "区卫健委" },
];

function randomOpenid(): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `resident-${Date.now().toString(36)}-${random}`;
}

async function afterLogin(): Promise<void> {
  let hasProfile = true;
  try {
    const me = await getMe();
    // Staff and managers work without a resident profile: straight to the home page.
    const worksHere = me.user.roles.some((role) => role !== "resident");
    hasProfile = me.profile !== null || worksHere;
  } catch {
    // The home page will show the error; logging in itself succeeded.
  }
  // Back to where she was going (remembered by the page that sent her here), else home.
  if (hasProfile) await afterLoginGo();
  else await Taro.redirectTo({ url: PAGES.profile });
}

export default function LoginPage() {
  const [checking, setChecking] = useState(true);
  const [openid, setOpenid] = useState("");
  const [openidError, setOpenidError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The privacy policy must be accepted (in its current version) before logging in.
  useEffect(() => {
    const consent = getConsent();
    if (!consent) {
      void Taro.redirectTo({ url: PAGES.consent }).catch(() => undefined);
      return;
    }
    getConfig().then(
      (config) => {
        if (config.privacyPolicyVersion !== consent.privacyPolicyVersion) {
          void Taro.redirectTo({ url: PAGES.consent }).catch(() => undefined);
        } else {
          setChecking(false);
        }
      },
      () => setChecking(false),
    );
  }, []);

  const run = async (login: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await login();
      await afterLogin();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const submitOpenid = (value: string) => {
    const trimmed = value.trim();
    if (!trimmed) {
      setOpenidError("请输入 openid");
      return;
    }
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(trimmed)) {
      setOpenidError("openid 只能包含字母、数字、下划线和短横线");
      return;
    }
    setOpenidError(null);
    void run(() => loginWithOpenid(trimmed));
  };

  return (
    <PageShell title="登录家医" subtitle="登录后可签约家庭医生、预约服务" loading={checking} id="login">
      {IS_WEAPP ? (
        <View className="card">
          <View className="login__intro">使用微信账号快速登录，我们不会获取您的微信头像和昵称。</View>
          <Button
            block
            type="primary"
            size="large"
            id="login-wechat"
            loading={busy}
            onClick={() => void run(loginWithWechat)}
          >
            微信一键登录
          </Button>
        </View>
      ) : (
        <View className="card">
          <View className="notice notice--info">本地测试环境：输入 openid 登录，或选择演示账号。</View>
          <FormField id="login-openid" label="openid" required error={openidError}>
            <Input
              id="login-openid"
              name="openid"
              placeholder="例如 demo-doctor-1"
              value={openid}
              clearable
              onChange={(v) => {
                setOpenid(v);
                setOpenidError(null);
              }}
              onConfirm={() => submitOpenid(openid)}
            />
          </FormField>
          <Button
            block
            type="primary"
            size="large"
            id="login-submit"
            loading={busy}
            onClick={() => submitOpenid(openid)}
          >
            登录
          </Button>
          <View className="section-title">演示账号</View>
          <View className="quick-logins">
            {DEMO_ACCOUNTS.map((account) => (
              <Button
                key={account.openid}
                id={`login-${account.openid}`}
                className="quick-login"
                fill="outline"
                type="primary"
                disabled={busy}
                onClick={() => {
                  setOpenid(account.openid);
                  submitOpenid(account.openid);
                }}
              >
                {account.label}
              </Button>
            ))}
            <Button
              id="login-new-resident"
              className="quick-login"
              fill="outline"
              type="primary"
              disabled={busy}
              onClick={() => {
                const generated = randomOpenid();
                setOpenid(generated);
                submitOpenid(generated);
              }}
            >
              新居民
            </Button>
          </View>
        </View>
      )}
      {error ? (
        <View className="notice notice--error" id="login-error">
          {error}
        </View>
      ) : null}
    </PageShell>
  );
}

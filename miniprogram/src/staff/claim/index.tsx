import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { FormField } from "../../components/FormField";
import { PageShell } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import { useRequireLogin } from "../../lib/auth-guard";
import { ROLE_LABELS } from "../../lib/labels";
import { isWeapp } from "../../lib/platform";
import { errorMessage } from "../../lib/use-async";
import { ApiError, fieldErrorsFrom } from "../../services/request";
import { PAGES } from "../../services/routes";
import { claimInvitation, invitationCodeFrom } from "../../services/staff";

const CLAIM_ERRORS: Record<string, string> = {
  INVITATION_INVALID: "邀请码无效、已被使用、已撤销或已过期，请向中心管理员重新索取",
};

/** A new staff member joins with an invitation code (typed or scanned) and lands on the team desk. */
export default function ClaimPage() {
  const loggedIn = useRequireLogin();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<{ code?: string; name?: string; other?: string }>({});
  const [claiming, setClaiming] = useState(false);
  const [scanning, setScanning] = useState(false);

  const scan = async () => {
    if (scanning) return;
    setScanning(true);
    setErrors({});
    try {
      const result = await Taro.scanCode({ onlyFromCamera: false, scanType: ["qrCode"] });
      const scanned = invitationCodeFrom(result.result ?? "");
      if (scanned) setCode(scanned);
      else setErrors({ code: "这不是家医的邀请二维码，请扫描管理员出示的二维码" });
    } catch (err) {
      const message = err && typeof err === "object" && "errMsg" in err ? String(err.errMsg) : "";
      // Closing the scanner is a choice, not a failure.
      if (!message.includes("cancel"))
        setErrors({ code: "无法打开扫码，请检查相机权限后重试，或直接输入邀请码" });
    } finally {
      setScanning(false);
    }
  };

  const submit = async () => {
    if (claiming) return;
    const normalised = invitationCodeFrom(code);
    if (!normalised) {
      setErrors({ code: code.trim() ? "邀请码应为 4–32 位字母或数字" : "请输入邀请码" });
      return;
    }
    setClaiming(true);
    setErrors({});
    try {
      const result = await claimInvitation({
        code: normalised,
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      const roles = result.user.roles;
      const teamRole = roles.find((r) => r !== "resident" && r !== "manager" && r !== "district");
      const role =
        teamRole ?? (roles.includes("manager") ? "manager" : roles.includes("district") ? "district" : null);
      void Taro.showToast({
        title: role ? `已加入，身份：${ROLE_LABELS[role]}` : "已加入",
        icon: "none",
      }).catch(() => undefined);
      // Team staff land on their team desk, the district's viewer (an operator's code) on the
      // district dashboard, a manager on the home page with the manager tiles.
      const landing = teamRole ? PAGES.team : role === "district" ? PAGES.district : PAGES.home;
      void Taro.reLaunch({ url: landing }).catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const mapped = fieldErrorsFrom(err, ["code", "name"] as const);
        setErrors({ ...mapped.fields, other: mapped.other[0] });
      } else if (err instanceof ApiError && CLAIM_ERRORS[err.code]) {
        setErrors({ code: CLAIM_ERRORS[err.code] });
      } else {
        setErrors({ other: errorMessage(err) });
      }
    } finally {
      setClaiming(false);
    }
  };

  return (
    <PageShell title="加入团队" subtitle="输入或扫描中心管理员给您的邀请码" loading={!loggedIn} id="claim">
      <View className="card">
        <FormField id="claim-code" label="邀请码" required error={errors.code}>
          <Input
            id="claim-code"
            name="code"
            placeholder="如 7K3M9QXP"
            value={code}
            maxLength={40}
            onChange={(v) => {
              setCode(v);
              setErrors({});
            }}
          />
        </FormField>
        {isWeapp() ? (
          <Button fill="outline" id="claim-scan" loading={scanning} onClick={() => void scan()}>
            扫码
          </Button>
        ) : null}
        <FormField
          id="claim-name"
          label="您的姓名（选填）"
          hint="居民在团队名片上看到的名字"
          error={errors.name}
        >
          <Input
            id="claim-name"
            name="name"
            placeholder="如 张医生"
            value={name}
            maxLength={30}
            onChange={(v) => {
              setName(v);
              setErrors({});
            }}
          />
        </FormField>
        {errors.other ? (
          <View className="notice notice--error" id="claim-error">
            {errors.other}
          </View>
        ) : null}
      </View>
      <View className="actions">
        <Button
          block
          type="primary"
          size="large"
          id="claim-submit"
          loading={claiming}
          onClick={() => void submit()}
        >
          加入团队
        </Button>
      </View>
    </PageShell>
  );
}

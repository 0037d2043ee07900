import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { identityBody } from "../../components/IdentityFields";
import { PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { GROUP_LABELS, ID_TYPE_LABELS, labelOf, SEX_LABELS } from "../../lib/labels";
import { useAsync } from "../../lib/use-async";
import type { FieldErrors, ProfileField, ProfileFormValues } from "../../lib/validation";
import { getMe, listCentres, updateMyProfile } from "../../services/me";
import { ApiError, fieldErrorsFrom } from "../../services/request";
import { PAGES } from "../../services/routes";
import { clearConsent, getConsent } from "../../services/session";
import type { Centre, MaskedProfile, Me } from "../../services/types";
import { ProfileForm } from "./ProfileForm";

const FIELDS: readonly ProfileField[] = [
  "name",
  "idType",
  "idNumber",
  "birthDate",
  "sex",
  "phone",
  "neighbourhoodId",
  "address",
];

interface PageData {
  me: Me;
  centres: Centre[];
}

async function loadPageData(): Promise<PageData> {
  const [me, centres] = await Promise.all([getMe(), listCentres()]);
  return { me, centres: centres.items };
}

export function ProfileResult({ profile, centres }: { profile: MaskedProfile; centres: Centre[] }) {
  const neighbourhood = centres
    .flatMap((c) => c.neighbourhoods.map((n) => ({ ...n, centre: c.name })))
    .find((n) => n.neighbourhoodId === profile.neighbourhoodId);
  return (
    <View className="card result" id="profile-result">
      <View className="result__row">
        <View className="result__label">姓名</View>
        <View className="result__value" id="profile-result-name">
          {profile.name}
        </View>
      </View>
      <View className="result__row">
        <View className="result__label">{labelOf(ID_TYPE_LABELS, profile.idType) || "证件号码"}</View>
        <View className="result__value" id="profile-idNumberMasked">
          {profile.idNumberMasked}
        </View>
      </View>
      <View className="result__row">
        <View className="result__label">手机号</View>
        <View className="result__value" id="profile-phoneMasked">
          {profile.phoneMasked ?? "未填写"}
        </View>
      </View>
      <View className="result__row">
        <View className="result__label">出生日期</View>
        <View className="result__value" id="profile-birthDate">
          {profile.birthDate}
        </View>
      </View>
      <View className="result__row">
        <View className="result__label">性别</View>
        <View className="result__value" id="profile-sex">
          {labelOf(SEX_LABELS, profile.sex)}
        </View>
      </View>
      {neighbourhood ? (
        <View className="result__row">
          <View className="result__label">所属社区</View>
          <View className="result__value" id="profile-neighbourhood-name">
            {neighbourhood.centre} · {neighbourhood.name}
          </View>
        </View>
      ) : null}
      <View className="result__row">
        <View className="result__label">重点人群</View>
        <View className="result__value tags" id="profile-groups-result">
          {profile.groups.length === 0 ? (
            <View className="muted">无</View>
          ) : (
            profile.groups.map((g) => (
              <View key={g} className="pill">
                {labelOf(GROUP_LABELS, g)}
              </View>
            ))
          )}
        </View>
      </View>
    </View>
  );
}

export default function ProfilePage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadPageData, loggedIn);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<MaskedProfile | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors<ProfileField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  const profile = saved ?? state.data?.me.profile ?? null;
  const centres = state.data?.centres ?? [];
  const showForm = editing || !profile;

  const submit = async (values: ProfileFormValues) => {
    const consent = getConsent();
    if (!consent) {
      void Taro.redirectTo({ url: PAGES.consent }).catch(() => undefined);
      return;
    }
    setSubmitting(true);
    setServerErrors({});
    setFormError(null);
    try {
      const result = await updateMyProfile({
        ...identityBody(values),
        phone: values.phone.trim(),
        neighbourhoodId: values.neighbourhoodId,
        address: values.address.trim(),
        declaredGroups: values.declaredGroups,
        consents: { privacyPolicyVersion: consent.privacyPolicyVersion, healthData: true },
      });
      setSaved(result);
      setEditing(false);
      void Taro.showToast({ title: "已保存", icon: "success" }).catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.code === "VERSION_OUTDATED") {
          clearConsent();
          void Taro.redirectTo({ url: PAGES.consent }).catch(() => undefined);
          return;
        }
        if (err.code === "ID_ALREADY_REGISTERED") {
          setServerErrors({ idNumber: err.message });
        } else {
          const mapped = fieldErrorsFrom(err, FIELDS);
          setServerErrors(mapped.fields);
          const rest = mapped.other.length ? mapped.other.join("；") : null;
          if (rest || Object.keys(mapped.fields).length === 0) setFormError(rest ?? err.message);
        }
      } else {
        setFormError("保存失败，请稍后再试");
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PageShell
      title={showForm ? "完善个人信息" : "个人信息"}
      subtitle={showForm ? "签约家庭医生需要实名信息，请如实填写" : undefined}
      loading={!loggedIn || state.loading}
      error={state.error}
      onRetry={state.reload}
      id="profile"
    >
      {showForm ? (
        <View className="card">
          {profile ? (
            <View className="notice notice--info">修改信息需重新填写完整的证件号码和手机号。</View>
          ) : null}
          <ProfileForm
            key={formKey}
            centres={centres}
            initial={
              profile
                ? {
                    name: profile.name,
                    idType: profile.idType,
                    neighbourhoodId: profile.neighbourhoodId,
                    address: profile.address,
                    declaredGroups: profile.declaredGroups,
                  }
                : undefined
            }
            serverErrors={serverErrors}
            submitting={submitting}
            onSubmit={(v) => void submit(v)}
          />
          {formError ? (
            <View className="notice notice--error" id="profile-form-error">
              {formError}
            </View>
          ) : null}
          {profile ? (
            <Button block fill="none" id="profile-cancel" onClick={() => setEditing(false)}>
              取消修改
            </Button>
          ) : null}
        </View>
      ) : profile ? (
        <>
          {saved ? (
            <View className="notice notice--success" id="profile-saved">
              保存成功。为保护隐私，证件号码和手机号仅显示部分内容。
            </View>
          ) : null}
          <ProfileResult profile={profile} centres={centres} />
          <View className="actions">
            <Button
              block
              type="primary"
              size="large"
              id="profile-edit"
              onClick={() => {
                setFormKey((k) => k + 1);
                setServerErrors({});
                setEditing(true);
              }}
            >
              修改信息
            </Button>
            <Button
              block
              fill="outline"
              type="primary"
              size="large"
              id="profile-to-family"
              onClick={() => navigate(PAGES.family)}
            >
              管理家庭成员
            </Button>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

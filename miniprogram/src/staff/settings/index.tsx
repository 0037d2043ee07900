import { View } from "@tarojs/components";
import { useState } from "react";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import { useRequireLogin } from "../../lib/auth-guard";
import {
  BOUNDS,
  changesOf,
  draftOf,
  NUMBER_SETTINGS,
  SETTING_LABELS,
  type SettingsDraft,
  type SettingsErrors,
  valueText,
} from "../../lib/centre-settings";
import { dateTimeText } from "../../lib/notices";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { fieldErrorsFrom } from "../../services/request";
import { getCentreSettings, updateCentreSettings } from "../../services/settings";
import type { CentreSettings } from "../../services/types";

async function loadSettings(): Promise<CentreSettings | null> {
  const me = await getMe();
  const centreId = me.user.roles.includes("manager") ? me.user.centreId : undefined;
  return centreId ? getCentreSettings(centreId) : null;
}

const FIELDS = [...NUMBER_SETTINGS.map((s) => s.key), "renewalReminderDays"] as const;

export default function SettingsPage() {
  const loggedIn = useRequireLogin();
  // null data: not a manager (the load answers null rather than failing).
  const state = useAsync(async () => ({ settings: await loadSettings() }), loggedIn);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [message, setMessage] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const current = state.data?.settings ?? null;
  const form = draft ?? (current ? draftOf(current.settings) : null);

  const patch = (change: Partial<SettingsDraft>, field?: keyof SettingsErrors) => {
    if (!form) return;
    setDraft({ ...form, ...change });
    setMessage(null);
    if (field) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const save = async () => {
    if (!current || !form || busy) return;
    const { errors: found, body } = changesOf(form, current.settings);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(body).length === 0) {
      setMessage({ tone: "info", text: "没有修改" });
      return;
    }
    setBusy(true);
    try {
      const saved = await updateCentreSettings(current.centreId, body);
      state.setData({ settings: saved });
      setDraft(null);
      setMessage({ tone: "info", text: "已保存，只对此后的新操作生效" });
    } catch (err) {
      const mapped = fieldErrorsFrom(err, FIELDS);
      setErrors(mapped.fields);
      const other =
        mapped.other.length || Object.keys(mapped.fields).length ? mapped.other : [errorMessage(err)];
      if (other.length) setMessage({ tone: "error", text: other.join("；") });
    } finally {
      setBusy(false);
    }
  };

  const overridden = (key: string) => current?.overridden.includes(key);
  const hint = (key: keyof typeof BOUNDS, defaultValue: string, unit: string, name: string) =>
    `范围 ${BOUNDS[key][0]}–${BOUNDS[key][1]} ${unit}，默认 ${defaultValue}${overridden(name) ? "（本中心已修改）" : ""}`;

  return (
    <PageShell
      title="中心设置"
      subtitle="在法定范围内设置本中心的规则；修改留痕，只对此后的新操作生效"
      loading={!loggedIn || (state.loading && !state.data)}
      error={state.error}
      onRetry={state.reload}
      id="settings"
    >
      {state.data && !current ? (
        <EmptyState title="仅中心管理员可以设置" description="请使用中心管理员账号登录。" />
      ) : null}
      {current && form ? (
        <>
          <View className="card" id="settings-form">
            {NUMBER_SETTINGS.map(({ key, label, unit }) => (
              <FormField
                key={key}
                id={`settings-${key}`}
                label={`${label}（${unit}）`}
                required
                error={errors[key]}
                hint={hint(key, String(current.defaults[key]), unit, key)}
              >
                <Input
                  id={`settings-${key}`}
                  name={key}
                  type="number"
                  value={form[key]}
                  maxLength={4}
                  onChange={(v) => patch({ [key]: v.trim() } as Partial<SettingsDraft>, key)}
                />
              </FormField>
            ))}
            <FormField
              id="settings-renewalReminderDays"
              label="续约提醒（到期前天数）"
              required
              error={errors.renewalReminderDays}
              hint={`1–3 个，每个 ${BOUNDS.renewalReminderDay[0]}–${BOUNDS.renewalReminderDay[1]} 天，默认 ${valueText(current.defaults.renewalReminderDays)}${overridden("renewalReminderDays") ? "（本中心已修改）" : ""}`}
            >
              <Input
                id="settings-renewalReminderDays"
                name="renewalReminderDays"
                value={form.renewalReminderDays}
                maxLength={20}
                onChange={(v) => patch({ renewalReminderDays: v }, "renewalReminderDays")}
              />
            </FormField>
            <FormField
              id="settings-crossAreaSigning"
              label="跨辖区签约"
              hint={`默认${valueText(current.defaults.crossAreaSigning)}：居民只能与本辖区团队签约`}
            >
              <OptionChips<"yes" | "no">
                idPrefix="settings-crossAreaSigning"
                options={[
                  { value: "no", label: "不允许" },
                  { value: "yes", label: "允许" },
                ]}
                value={form.crossAreaSigning ? "yes" : "no"}
                onChange={(v) => patch({ crossAreaSigning: v === "yes" })}
              />
            </FormField>
            {message ? (
              <View className={`notice notice--${message.tone}`} id="settings-message">
                {message.text}
              </View>
            ) : null}
            <View className="actions">
              <Button
                block
                type="primary"
                size="large"
                id="settings-save"
                loading={busy}
                onClick={() => void save()}
              >
                保存
              </Button>
            </View>
          </View>

          <View className="card" id="settings-history">
            <View className="section-title">修改记录</View>
            {current.history.length === 0 ? (
              <View className="muted" id="settings-history-empty">
                尚未修改，均为默认值
              </View>
            ) : (
              current.history.map((h, i) => (
                <View key={`${h.at}-${h.byUserId}`} className="list-row" id={`settings-change-${i}`}>
                  <View className="muted">
                    {dateTimeText(h.at)} · {h.byUserId}
                  </View>
                  {h.changes.map((c) => (
                    <View key={c.setting}>
                      {SETTING_LABELS[c.setting] ?? c.setting}：{valueText(c.old)} → {valueText(c.new)}
                    </View>
                  ))}
                </View>
              ))
            )}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

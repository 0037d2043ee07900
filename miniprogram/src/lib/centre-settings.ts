/**
 * The centre settings form (中心设置): labels, the legal bounds and the checks. The bounds mirror
 * shared/schemas/settings SETTING_BOUNDS (which imports zod at runtime); `satisfies` keeps them equal.
 */
import type { SETTING_BOUNDS } from "@shared/schemas/settings";
import type { CentreSettingValues, UpdateCentreSettingsRequest } from "../services/types";

export const BOUNDS = {
  teamCapacityHouseholds: [1, 800],
  reviewDeadlineHours: [1, 168],
  renewalReminderDay: [1, 90],
  cancelDeadlineHours: [0, 48],
  maxOpenBookings: [1, 10],
  surveyExpiryDays: [1, 60],
  annualSurveyLeadDays: [7, 90],
} as const satisfies typeof SETTING_BOUNDS;

export type NumberSetting = Exclude<keyof typeof BOUNDS, "renewalReminderDay"> & keyof CentreSettingValues;

export const NUMBER_SETTINGS: readonly { key: NumberSetting; label: string; unit: string }[] = [
  { key: "teamCapacityHouseholds", label: "团队签约容量默认值", unit: "户" },
  { key: "reviewDeadlineHours", label: "签约审核时限", unit: "小时" },
  { key: "cancelDeadlineHours", label: "居民取消预约截止（开始前）", unit: "小时" },
  { key: "maxOpenBookings", label: "每人未完成预约上限", unit: "个" },
  { key: "surveyExpiryDays", label: "问卷邀请有效期", unit: "天" },
  { key: "annualSurveyLeadDays", label: "年度评价提前发放（合同到期前）", unit: "天" },
];

/** What the form holds: numbers as typed, reminder days as "30, 14, 3". */
export type SettingsDraft = Record<NumberSetting, string> & {
  renewalReminderDays: string;
  crossAreaSigning: boolean;
};
export type SettingsErrors = Partial<Record<NumberSetting | "renewalReminderDays", string>>;

export const daysText = (days: readonly number[]) => days.join(", ");

export function draftOf(values: CentreSettingValues): SettingsDraft {
  const draft = {
    renewalReminderDays: daysText(values.renewalReminderDays),
    crossAreaSigning: values.crossAreaSigning,
  } as SettingsDraft;
  for (const { key } of NUMBER_SETTINGS) draft[key] = String(values[key]);
  return draft;
}

const inBounds = (text: string, [min, max]: readonly [number, number]) =>
  /^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max;

/** The checks and, when they pass, only the settings that differ from `current`. */
export function changesOf(
  draft: SettingsDraft,
  current: CentreSettingValues,
): { errors: SettingsErrors; body: UpdateCentreSettingsRequest } {
  const errors: SettingsErrors = {};
  const body: UpdateCentreSettingsRequest = {};
  for (const { key } of NUMBER_SETTINGS) {
    const bounds = BOUNDS[key];
    if (!inBounds(draft[key], bounds)) errors[key] = `请填写 ${bounds[0]}–${bounds[1]} 的整数`;
    else if (Number(draft[key]) !== current[key]) body[key] = Number(draft[key]);
  }
  const parts = draft.renewalReminderDays.split(/[,，、\s]+/).filter(Boolean);
  const [min, max] = BOUNDS.renewalReminderDay;
  if (parts.length < 1 || parts.length > 3 || !parts.every((p) => inBounds(p, BOUNDS.renewalReminderDay)))
    errors.renewalReminderDays = `填写 1–3 个 ${min}–${max} 的天数，用逗号分开`;
  else {
    const days = parts.map(Number).sort((a, b) => b - a);
    if (new Set(days).size !== days.length) errors.renewalReminderDays = "提醒天数不能重复";
    else if (daysText(days) !== daysText([...current.renewalReminderDays].sort((a, b) => b - a)))
      body.renewalReminderDays = days;
  }
  if (draft.crossAreaSigning !== current.crossAreaSigning) body.crossAreaSigning = draft.crossAreaSigning;
  return { errors, body };
}

export const SETTING_LABELS: Record<string, string> = {
  ...Object.fromEntries(NUMBER_SETTINGS.map((s) => [s.key, s.label])),
  renewalReminderDays: "续约提醒（到期前天数）",
  crossAreaSigning: "允许跨辖区签约",
};

export function valueText(value: number | boolean | number[]): string {
  if (typeof value === "boolean") return value ? "允许" : "不允许";
  if (Array.isArray(value)) return daysText(value);
  return String(value);
}

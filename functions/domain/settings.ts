import type {
  CentreSettingValues,
  SettingName,
  UpdateCentreSettingsBody,
} from "../../shared/schemas/settings.js";
import { SETTING_NAMES } from "../../shared/schemas/settings.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";

/** Centre settings: pure rules, no I/O. */
export type StoredSettings = Partial<CentreSettingValues>;

export const defaultCentreSettings = (): CentreSettingValues => ({
  teamCapacityHouseholds: DEFAULT_SETTINGS.teamCapacityHouseholds,
  reviewDeadlineHours: DEFAULT_SETTINGS.reviewDeadlineHours,
  renewalReminderDays: [...DEFAULT_SETTINGS.renewalReminderDays],
  cancelDeadlineHours: DEFAULT_SETTINGS.cancelDeadlineHours,
  maxOpenBookings: DEFAULT_SETTINGS.maxOpenBookings,
  surveyExpiryDays: DEFAULT_SETTINGS.surveyExpiryDays,
  crossAreaSigning: DEFAULT_SETTINGS.crossAreaSigning,
  annualSurveyLeadDays: DEFAULT_SETTINGS.annualSurveyLeadDays,
});

/** The centre's value of every rule, the default where it set none. */
export function effectiveSettings(stored: StoredSettings | undefined): CentreSettingValues {
  const out = defaultCentreSettings();
  if (!stored) return out;
  for (const name of SETTING_NAMES) {
    const value = stored[name];
    if (value !== undefined) (out as Record<SettingName, unknown>)[name] = value;
  }
  return out;
}

type Value = CentreSettingValues[SettingName];
const same = (a: Value, b: Value) => JSON.stringify(a) === JSON.stringify(b);

/** Each setting the patch really changes, with its old and new value (reminder days sorted, latest first). */
export function changesOf(current: CentreSettingValues, patch: UpdateCentreSettingsBody) {
  const changes: { setting: SettingName; old: Value; new: Value }[] = [];
  for (const name of SETTING_NAMES) {
    let next = patch[name] as Value | undefined;
    if (next === undefined) continue;
    if (Array.isArray(next)) next = [...next].sort((a, b) => b - a);
    if (!same(current[name], next)) changes.push({ setting: name, old: current[name], new: next });
  }
  return changes;
}

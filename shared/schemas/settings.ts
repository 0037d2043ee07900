import * as z from "zod/mini";
import { DEFAULT_SETTINGS } from "../settings.js";
import { DateTimeString } from "./common.js";

/**
 * A centre's local rules (DOMAIN.md: "where a rule is local practice rather than law, make it a
 * setting"). The bounds are the legal or practical limits a manager may move within; the team
 * capacity's upper bound is the hard maximum of 800 households.
 */
const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

export const SETTING_BOUNDS = {
  teamCapacityHouseholds: [1, DEFAULT_SETTINGS.teamCapacityMaxHouseholds],
  reviewDeadlineHours: [1, 168],
  renewalReminderDay: [1, 90],
  cancelDeadlineHours: [0, 48],
  maxOpenBookings: [1, 10],
  surveyExpiryDays: [1, 60],
  annualSurveyLeadDays: [7, 90],
} as const;
const b = SETTING_BOUNDS;

export const CentreSettingsFields = {
  teamCapacityHouseholds: int(...b.teamCapacityHouseholds),
  reviewDeadlineHours: int(...b.reviewDeadlineHours),
  renewalReminderDays: z.array(int(...b.renewalReminderDay)).check(
    z.minLength(1),
    z.maxLength(3),
    z.refine((days) => new Set(days).size === days.length, "提醒天数不能重复"),
  ),
  cancelDeadlineHours: int(...b.cancelDeadlineHours),
  maxOpenBookings: int(...b.maxOpenBookings),
  surveyExpiryDays: int(...b.surveyExpiryDays),
  crossAreaSigning: z.boolean(),
  annualSurveyLeadDays: int(...b.annualSurveyLeadDays),
};
export type SettingName = keyof typeof CentreSettingsFields;
export const SETTING_NAMES = Object.keys(CentreSettingsFields) as SettingName[];

/** What a manager may change: any subset, unknown names refused. */
export const UpdateCentreSettingsBody = z
  .strictObject({
    teamCapacityHouseholds: z.optional(CentreSettingsFields.teamCapacityHouseholds),
    reviewDeadlineHours: z.optional(CentreSettingsFields.reviewDeadlineHours),
    renewalReminderDays: z.optional(CentreSettingsFields.renewalReminderDays),
    cancelDeadlineHours: z.optional(CentreSettingsFields.cancelDeadlineHours),
    maxOpenBookings: z.optional(CentreSettingsFields.maxOpenBookings),
    surveyExpiryDays: z.optional(CentreSettingsFields.surveyExpiryDays),
    crossAreaSigning: z.optional(CentreSettingsFields.crossAreaSigning),
    annualSurveyLeadDays: z.optional(CentreSettingsFields.annualSurveyLeadDays),
  })
  .check(
    z.refine((body) => Object.keys(body).length > 0, {
      message: "至少修改一项设置",
      path: ["(root)"],
    }),
  );
export type UpdateCentreSettingsBody = z.infer<typeof UpdateCentreSettingsBody>;

const SettingValue = z.union([z.number(), z.boolean(), z.array(z.number())]);

/** One audited change: who, when, and each setting's old → new value. */
export const SettingsChange = z.object({
  at: DateTimeString,
  byUserId: z.string(),
  changes: z.array(z.object({ setting: z.string(), old: SettingValue, new: SettingValue })),
});

export const CentreSettings = z.object({
  centreId: z.string(),
  settings: z.object(CentreSettingsFields),
  /** Settings the centre has set itself; the others show the default. */
  overridden: z.array(z.string()),
  defaults: z.object(CentreSettingsFields),
  updatedAt: z.nullable(DateTimeString),
  /** The latest changes, newest first. */
  history: z.array(SettingsChange),
});
export type CentreSettings = z.infer<typeof CentreSettings>;
export type CentreSettingValues = z.infer<typeof CentreSettings>["settings"];

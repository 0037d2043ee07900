/**
 * Local practice rather than law: defaults from DOMAIN.md, overridable per centre.
 */
export const DEFAULT_SETTINGS = {
  teamCapacityHouseholds: 600,
  /** Hard maximum: a team never takes more than 800 households. */
  teamCapacityMaxHouseholds: 800,
  doctorMaxResidents: 2000,
  reviewDeadlineHours: 72,
  renewalReminderDays: [30, 14, 3],
  cancelDeadlineHours: 2,
  maxBookingsPerDay: 1,
  maxOpenBookings: 3,
  /** Days after the visit's day during which staff may correct its outcome. */
  outcomeCorrectionDays: 7,
  surveyExpiryDays: 14,
  invitationExpiryDays: 7,
  crossAreaSigning: false,
  /** Days before a contract's end that its annual evaluation (the survey before renewal) is sent. */
  annualSurveyLeadDays: 30,
} as const;

export type Settings = {
  -readonly [K in keyof typeof DEFAULT_SETTINGS]: (typeof DEFAULT_SETTINGS)[K] extends readonly number[]
    ? number[]
    : (typeof DEFAULT_SETTINGS)[K];
};

/** Versions of the texts a resident agrees to; a request quoting an older one gets 409. */
export const CURRENT_VERSIONS = {
  agreementVersion: "2026-01",
  privacyPolicyVersion: "2026-01",
} as const;

/**
 * The team's work-list (issue 16): when its time-driven kinds appear. Local practice, defaults from
 * DOMAIN.md's five basic services.
 */
export const WORKLIST_SETTINGS = {
  /** Follow-ups a year for a chronic patient whose packages name none (分类服务我主动: at least 4). */
  chronicFollowupsPerYear: 4,
  /** The annual assessment shows as due this many days before the contract year ends. */
  assessmentDueDays: 60,
  /** A contract ending within this many days is at risk without a read reminder (or when terminating). */
  renewalAtRiskDays: 30,
  /** Age from which a resident is due a home visit each contract year (贴心服务我上门). */
  homeVisitAge: 80,
} as const;

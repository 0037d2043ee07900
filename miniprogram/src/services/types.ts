/**
 * Request and response types of the identity, platform, contract, appointment, notice and survey operations: inferred from the shared zod
 * schemas (the API contract). Type-only imports, so no zod code reaches the mini-program bundle.
 */

import type {
  Appointment as AppointmentSchema,
  AppointmentStatus as AppointmentStatusSchema,
  BookBody,
  CancelBody,
  CreateScheduleBody,
  ScheduleResult as ScheduleResultSchema,
  Slot as SlotSchema,
  StatusBody,
  WaitlistEntry as WaitlistEntrySchema,
  WaitlistOffer as WaitlistOfferSchema,
} from "@shared/schemas/appointments";
import type {
  ApplyContractBody,
  ContractEvent as ContractEventSchema,
  Contract as ContractSchema,
  ContractStatus as ContractStatusSchema,
  EntitlementType as EntitlementTypeSchema,
  RecordServiceBody,
  RejectBody,
  ServicePackage as ServicePackageSchema,
  ServiceRecord as ServiceRecordSchema,
  Team as TeamSchema,
  TerminationBody,
} from "@shared/schemas/contracts";
import type {
  Centre as CentreSchema,
  DeleteAccountResponse as DeleteAccountSchema,
  DevLoginBody,
  ExportResponse as ExportSchema,
  FamilyMemberBody,
  FamilyMember as FamilyMemberSchema,
  LoginResponse as LoginSchema,
  MeResponse as MeSchema,
  ProfileBody,
  Profile as ProfileSchema,
  RemovedFamilyMember as RemovedFamilyMemberSchema,
  UpdateFamilyMemberBody,
  WechatLoginBody,
} from "@shared/schemas/identity";
import type {
  AudienceEstimate as AudienceEstimateSchema,
  CheckInToken as CheckInTokenSchema,
  InboxItem as InboxItemSchema,
  NoticeKind as NoticeKindSchema,
  Notice as NoticeSchema,
  NoticeStats as NoticeStatsSchema,
  NoticeSuggestion as NoticeSuggestionSchema,
  PublishNoticeBody,
  PublishResult as PublishResultSchema,
  RegistrationListItem as RegistrationListItemSchema,
  Registration as RegistrationSchema,
  SubscriptionsBody,
  SubscriptionsResult as SubscriptionsResultSchema,
  TargetGroup as TargetGroupSchema,
} from "@shared/schemas/notices";
import type { ConfigResponse } from "@shared/schemas/platform";
import type {
  DistrictMonthlyReport as DistrictMonthlyReportSchema,
  MonthlyReport as MonthlyReportSchema,
  ReportRow as ReportRowSchema,
} from "@shared/schemas/reports";
import type {
  CentreSettings as CentreSettingsSchema,
  UpdateCentreSettingsBody,
} from "@shared/schemas/settings";
import type {
  CreateSurveyBody,
  Dimension as DimensionSchema,
  DistrictSatisfaction as DistrictSatisfactionSchema,
  FollowUp as FollowUpSchema,
  LowScore as LowScoreSchema,
  MyFollowUp as MyFollowUpSchema,
  MySurvey as MySurveySchema,
  ResolveFollowUpBody,
  SatisfactionScores as SatisfactionScoresSchema,
  SubmitResponseBody,
  SurveyAudience as SurveyAudienceSchema,
  SurveyResponseResult as SurveyResponseResultSchema,
  SurveyResults as SurveyResultsSchema,
  Survey as SurveySchema,
} from "@shared/schemas/surveys";
import type { z } from "zod";

export type AuthResult = z.infer<typeof LoginSchema>;
export type DevLoginRequest = z.infer<typeof DevLoginBody>;
export type WechatLoginRequest = z.infer<typeof WechatLoginBody>;

/** A resident profile as the API returns it: identifiers are masked, never raw. */
export type MaskedProfile = z.infer<typeof ProfileSchema>;
export type FamilyMember = z.infer<typeof FamilyMemberSchema>;
export type Me = z.infer<typeof MeSchema>;
export type UpdateProfileRequest = z.input<typeof ProfileBody>;
export type AddFamilyMemberRequest = z.input<typeof FamilyMemberBody>;
export type UpdateFamilyMemberRequest = z.input<typeof UpdateFamilyMemberBody>;
export type RemovedFamilyMember = z.infer<typeof RemovedFamilyMemberSchema>;
export type Centre = z.infer<typeof CentreSchema>;
export type Neighbourhood = Centre["neighbourhoods"][number];
export type ExportData = z.infer<typeof ExportSchema>;
export type DeleteAccountResult = z.infer<typeof DeleteAccountSchema>;
export type PlatformConfig = z.infer<typeof ConfigResponse>;
/** API.md "Lists": every list answers `{items, nextCursor}` (shared/schemas/common.ts listOf). */
export interface ListResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Health {
  status: "ok";
}

// Contracts (签约): teams, packages, contracts, fulfilment, history.

export type Team = z.infer<typeof TeamSchema>;
export type TeamMember = Team["members"][number];
export type ServicePackage = z.infer<typeof ServicePackageSchema>;
export type Contract = z.infer<typeof ContractSchema>;
export type ContractStatus = z.infer<typeof ContractStatusSchema>;
export type Entitlement = Contract["entitlements"][number];
export type EntitlementType = z.infer<typeof EntitlementTypeSchema>;
export type TerminationReason = z.infer<typeof TerminationBody>["reason"];
export type ContractEvent = z.infer<typeof ContractEventSchema>;
export type ServiceRecord = z.infer<typeof ServiceRecordSchema>;
export type ApplyContractRequest = z.input<typeof ApplyContractBody>;
export type RejectContractRequest = z.input<typeof RejectBody>;
export type TerminationRequest = z.input<typeof TerminationBody>;
export type RecordServiceRequest = z.input<typeof RecordServiceBody>;

// Appointments (预约): slots, bookings, visits, the waitlist.

export type Slot = z.infer<typeof SlotSchema>;
export type ServiceType = Slot["serviceType"];
export type Appointment = z.infer<typeof AppointmentSchema>;
export type AppointmentStatus = z.infer<typeof AppointmentStatusSchema>;
export type BookRequest = z.input<typeof BookBody>;
export type CancelRequest = z.input<typeof CancelBody>;
export type VisitStatus = z.infer<typeof StatusBody>["status"];
export type CreateScheduleRequest = z.input<typeof CreateScheduleBody>;
export type ScheduleResult = z.infer<typeof ScheduleResultSchema>;
export type WaitlistEntry = z.infer<typeof WaitlistEntrySchema>;
export type WaitlistOffer = z.infer<typeof WaitlistOfferSchema>;

// Notices (健康通知): inbox, notice detail, lectures, publishing, statistics.

export type NoticeKind = z.infer<typeof NoticeKindSchema>;
export type TargetGroup = z.infer<typeof TargetGroupSchema>;
export type Notice = z.infer<typeof NoticeSchema>;
export type LectureInfo = NonNullable<Notice["lecture"]>;
export type InboxItem = z.infer<typeof InboxItemSchema>;
/** listMyNotices: a list page plus the unread count over the whole inbox (family included). */
export interface Inbox extends ListResponse<InboxItem> {
  unread: number;
}
export type PublishNoticeRequest = z.input<typeof PublishNoticeBody>;
export type PublishNoticeResult = z.infer<typeof PublishResultSchema>;
export type AudienceEstimate = z.infer<typeof AudienceEstimateSchema>;
export type NoticeStats = z.infer<typeof NoticeStatsSchema>;
export type NoticeSuggestion = z.infer<typeof NoticeSuggestionSchema>;
export type Registration = z.infer<typeof RegistrationSchema>;
export type RegistrationListItem = z.infer<typeof RegistrationListItemSchema>;
export type CheckInToken = z.infer<typeof CheckInTokenSchema>;
export type SubscriptionsRequest = z.input<typeof SubscriptionsBody>;
export type SubscriptionsResult = z.infer<typeof SubscriptionsResultSchema>;

// Satisfaction (满意度) and the monthly report (月报表).

export type Dimension = z.infer<typeof DimensionSchema>;
export type MySurvey = z.infer<typeof MySurveySchema>;
export type SurveyQuestion = MySurvey["questions"][number];
export type SubmitSurveyRequest = z.input<typeof SubmitResponseBody>;
export type SurveyAnswer = SubmitSurveyRequest["answers"][number];
export type SurveyResponseResult = z.infer<typeof SurveyResponseResultSchema>;
export type SatisfactionScores = z.infer<typeof SatisfactionScoresSchema>;
export type SatisfactionGroup = SatisfactionScores["groups"][number];
export type SatisfactionGroupBy = SatisfactionScores["groupBy"];
export type LowScore = z.infer<typeof LowScoreSchema>;
export type MonthlyReport = z.infer<typeof MonthlyReportSchema>;
export type ReportRow = z.infer<typeof ReportRowSchema>;

// Manager's surveys (问卷), follow-ups (回访), centre settings and the district's view (区卫健委).

export type Survey = z.infer<typeof SurveySchema>;
export type CreateSurveyRequest = z.input<typeof CreateSurveyBody>;
export type SurveyAudience = z.input<typeof SurveyAudienceSchema>;
export type NewQuestion = CreateSurveyRequest["questions"][number];
export type SurveyResults = z.infer<typeof SurveyResultsSchema>;
export type QuestionResult = SurveyResults["questions"][number];
export type TeamResult = SurveyResults["teams"][number];
export type FollowUp = z.infer<typeof FollowUpSchema>;
export type ResolveFollowUpRequest = z.input<typeof ResolveFollowUpBody>;
export type FollowUpOutcome = ResolveFollowUpRequest["outcome"];
export type MyFollowUp = z.infer<typeof MyFollowUpSchema>;
export type CentreSettings = z.infer<typeof CentreSettingsSchema>;
export type CentreSettingValues = CentreSettings["settings"];
export type UpdateCentreSettingsRequest = z.input<typeof UpdateCentreSettingsBody>;
export type DistrictMonthlyReport = z.infer<typeof DistrictMonthlyReportSchema>;
export type DistrictCoverage = DistrictMonthlyReport["coverage"][number];
export type DistrictSatisfaction = z.infer<typeof DistrictSatisfactionSchema>;

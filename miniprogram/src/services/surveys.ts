import { request } from "./request";
import type {
  CreateSurveyRequest,
  FollowUp,
  ListResponse,
  LowScore,
  MonthlyReport,
  MyFollowUp,
  MySurvey,
  ResolveFollowUpRequest,
  SatisfactionGroupBy,
  SatisfactionScores,
  SubmitSurveyRequest,
  Survey,
  SurveyResponseResult,
  SurveyResults,
} from "./types";

const enc = encodeURIComponent;

/** listMySurveys — pending invitations of the account and its family members, with their questions. */
export function listMySurveys(): Promise<ListResponse<MySurvey>> {
  return request<ListResponse<MySurvey>>({ path: "/v1/me/surveys", query: { limit: 100 } });
}

/** submitSurveyResponse — 400 names the question at fault; 409 ALREADY_ANSWERED; shown by the form. */
export function submitSurveyResponse(
  invitationId: string,
  body: SubmitSurveyRequest,
): Promise<SurveyResponseResult> {
  return request<SurveyResponseResult>({
    method: "POST",
    path: `/v1/surveys/invitations/${enc(invitationId)}/response`,
    data: body,
    silent: true,
  });
}

/** satisfactionScores — averages and counts per group; `average` is null under 5 responses. */
export function satisfactionScores(
  centreId: string,
  options: { groupBy: SatisfactionGroupBy; from?: string; to?: string; teamId?: string },
): Promise<SatisfactionScores> {
  return request<SatisfactionScores>({
    path: `/v1/centres/${enc(centreId)}/satisfaction`,
    query: { groupBy: options.groupBy, from: options.from, to: options.to, teamId: options.teamId },
  });
}

/** listLowScores — ratings of 2 or less with their comments, newest first, for follow-up. */
export function listLowScores(
  centreId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<ListResponse<LowScore>> {
  return request<ListResponse<LowScore>>({
    path: `/v1/centres/${enc(centreId)}/satisfaction/low-scores`,
    query: { limit: options.limit ?? 20, cursor: options.cursor ?? undefined },
  });
}

/** monthlyReport (JSON) — one row per team plus the centre total. */
export function monthlyReport(centreId: string, month: string): Promise<MonthlyReport> {
  return request<MonthlyReport>({
    path: `/v1/centres/${enc(centreId)}/reports/monthly`,
    query: { month, format: "json" },
  });
}

/** The API path of the monthly report file (CSV or XLSX), for `downloadFile`. */
export function monthlyReportPath(centreId: string, month: string, format: "csv" | "xlsx") {
  return {
    path: `/v1/centres/${enc(centreId)}/reports/monthly`,
    query: { month, format },
    fileName: `家庭医生服务月报-${month}.${format}`,
  };
}

/** createSurvey — a manual survey with its audience; 400 details are mapped by the form. */
export function createSurvey(centreId: string, body: CreateSurveyRequest): Promise<Survey> {
  return request<Survey>({
    method: "POST",
    path: `/v1/centres/${enc(centreId)}/surveys`,
    data: body,
    silent: true,
  });
}

/** listCentreSurveys — the centre's own surveys, newest first. */
export function listCentreSurveys(
  centreId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<ListResponse<Survey>> {
  return request<ListResponse<Survey>>({
    path: `/v1/centres/${enc(centreId)}/surveys`,
    query: { limit: options.limit ?? 20, cursor: options.cursor ?? undefined },
  });
}

/** surveyResults — counts always; breakdowns null where a group has fewer than 5 responses. */
export function surveyResults(centreId: string, surveyId: string): Promise<SurveyResults> {
  return request<SurveyResults>({ path: `/v1/centres/${enc(centreId)}/surveys/${enc(surveyId)}/results` });
}

/** assignFollowUp — 409 NO_CONTACT_CONSENT / ASSIGNEE_IN_RATED_TEAM are shown by the page. */
export function assignFollowUp(responseId: string, assigneeId: string): Promise<FollowUp> {
  return request<FollowUp>({
    method: "POST",
    path: `/v1/low-scores/${enc(responseId)}/follow-up`,
    data: { assigneeId },
    silent: true,
  });
}

/** listMyFollowUps — the follow-ups assigned to the caller, newest assignment first. */
export function listMyFollowUps(
  options: { status?: "open" | "resolved"; cursor?: string | null; limit?: number } = {},
): Promise<ListResponse<MyFollowUp>> {
  return request<ListResponse<MyFollowUp>>({
    path: "/v1/me/follow-ups",
    query: {
      status: options.status ?? "open",
      limit: options.limit ?? 20,
      cursor: options.cursor ?? undefined,
    },
  });
}

/** resolveFollowUp — records the outcome and closes the follow-up. */
export function resolveFollowUp(responseId: string, body: ResolveFollowUpRequest): Promise<FollowUp> {
  return request<FollowUp>({
    method: "POST",
    path: `/v1/low-scores/${enc(responseId)}/follow-up/resolve`,
    data: body,
    silent: true,
  });
}

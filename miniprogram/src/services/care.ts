import type {
  ContactAuditEntry as ContactAuditEntrySchema,
  HomeVisitRequest as HomeVisitRequestSchema,
  RequestHomeVisitBody,
  ResidentPlan as ResidentPlanSchema,
  RevealedContact as RevealedContactSchema,
  ScheduleHomeVisitBody,
  WorkItem as WorkItemSchema,
  WorklistKind as WorklistKindSchema,
  Worklist as WorklistSchema,
} from "@shared/schemas/care";
import type { z } from "zod";
import { request } from "./request";
import type { ListResponse } from "./types";

/** Proactive care (issue 16): the team's work-list, home-visit requests, the contact reveal, the plan. */
export type WorkItem = z.infer<typeof WorkItemSchema>;
export type Worklist = z.infer<typeof WorklistSchema>;
export type WorklistKind = z.infer<typeof WorklistKindSchema>;
export type HomeVisitRequest = z.infer<typeof HomeVisitRequestSchema>;
export type ResidentPlan = z.infer<typeof ResidentPlanSchema>;
export type PlanItem = ResidentPlan["items"][number];
export type RevealedContact = z.infer<typeof RevealedContactSchema>;
export type ContactAuditEntry = z.infer<typeof ContactAuditEntrySchema>;

const enc = encodeURIComponent;

/** teamWorklist — one page of a kind (or all), with the counts per kind. */
export function teamWorklist(
  teamId: string,
  options: { kind?: WorklistKind; cursor?: string | null; limit?: number } = {},
): Promise<Worklist> {
  return request<Worklist>({
    path: `/v1/teams/${enc(teamId)}/worklist`,
    query: { kind: options.kind, limit: options.limit ?? 50, cursor: options.cursor ?? undefined },
  });
}

export function requestHomeVisit(body: z.input<typeof RequestHomeVisitBody>): Promise<HomeVisitRequest> {
  return request<HomeVisitRequest>({ method: "POST", path: "/v1/home-visit-requests", data: body });
}

export function listHomeVisitRequests(residentId: string): Promise<ListResponse<HomeVisitRequest>> {
  return request<ListResponse<HomeVisitRequest>>({
    path: `/v1/residents/${enc(residentId)}/home-visit-requests`,
    query: { limit: 5 },
  });
}

export function scheduleHomeVisit(
  requestId: string,
  body: z.input<typeof ScheduleHomeVisitBody>,
): Promise<HomeVisitRequest> {
  return request<HomeVisitRequest>({
    method: "POST",
    path: `/v1/home-visit-requests/${enc(requestId)}/schedule`,
    data: body,
  });
}

export function declineHomeVisit(requestId: string, reason: string): Promise<HomeVisitRequest> {
  return request<HomeVisitRequest>({
    method: "POST",
    path: `/v1/home-visit-requests/${enc(requestId)}/decline`,
    data: { reason },
  });
}

/** revealContact — audited: the purpose names the work-list item the call is for. */
export function revealContact(
  residentId: string,
  purpose: string,
  kind?: WorklistKind,
): Promise<RevealedContact> {
  return request<RevealedContact>({
    method: "POST",
    path: `/v1/residents/${enc(residentId)}/contact`,
    data: { purpose, ...(kind ? { kind } : {}) },
  });
}

export function residentPlan(residentId: string): Promise<ResidentPlan> {
  return request<ResidentPlan>({ path: `/v1/residents/${enc(residentId)}/plan` });
}

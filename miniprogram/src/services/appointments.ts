import { request } from "./request";
import type {
  Appointment,
  BookRequest,
  CreateScheduleRequest,
  ListResponse,
  ScheduleResult,
  ServiceType,
  Slot,
  VisitStatus,
  WaitlistEntry,
  WaitlistOffer,
} from "./types";

const enc = encodeURIComponent;

/** createSchedule — team staff publish recurring slots; overlapping ones are skipped, not duplicated. */
export function createSchedule(teamId: string, body: CreateScheduleRequest): Promise<ScheduleResult> {
  return request<ScheduleResult>({
    method: "POST",
    path: `/v1/teams/${enc(teamId)}/schedules`,
    data: body,
    // 400 details are mapped onto the form by the schedule page.
    silent: true,
  });
}

/** listSlots — future slots of a team with their remaining places (dates in Asia/Shanghai, inclusive). */
export function listSlots(
  teamId: string,
  options: { from: string; to: string; serviceType?: ServiceType; cursor?: string | null },
): Promise<ListResponse<Slot>> {
  return request<ListResponse<Slot>>({
    path: `/v1/teams/${enc(teamId)}/slots`,
    query: {
      from: options.from,
      to: options.to,
      serviceType: options.serviceType,
      limit: 100,
      cursor: options.cursor ?? undefined,
    },
  });
}

/**
 * bookAppointment — the caller makes one Idempotency-Key per booking attempt and sends the same key
 * again when it retries, so a lost answer never books twice. 403/409 are explained by the page.
 */
export function bookAppointment(body: BookRequest, idempotencyKey: string): Promise<Appointment> {
  return request<Appointment>({
    method: "POST",
    path: "/v1/appointments",
    data: body,
    header: { "Idempotency-Key": idempotencyKey },
    silent: true,
  });
}

/** cancelAppointment — 409 TOO_LATE_TO_CANCEL within the deadline (shown by the page). */
export function cancelAppointment(appointmentId: string, reason: string): Promise<Appointment> {
  return request<Appointment>({
    method: "POST",
    path: `/v1/appointments/${enc(appointmentId)}/cancel`,
    data: { reason },
  });
}

/** updateAppointmentStatus — staff record check-in, completion or a no-show. */
export function updateAppointmentStatus(appointmentId: string, status: VisitStatus): Promise<Appointment> {
  return request<Appointment>({
    method: "POST",
    path: `/v1/appointments/${enc(appointmentId)}/status`,
    data: { status },
  });
}

/** listMyAppointments — own and family appointments, newest first. */
export function listMyAppointments(
  options: { cursor?: string | null; limit?: number; silent?: boolean } = {},
): Promise<ListResponse<Appointment>> {
  return request<ListResponse<Appointment>>({
    path: "/v1/me/appointments",
    query: { limit: options.limit ?? 50, cursor: options.cursor ?? undefined },
    silent: options.silent,
  });
}

/** listTeamAppointments — the team's appointments of one day (default today). */
export function listTeamAppointments(
  teamId: string,
  options: { date: string; cursor?: string | null },
): Promise<ListResponse<Appointment>> {
  return request<ListResponse<Appointment>>({
    path: `/v1/teams/${enc(teamId)}/appointments`,
    query: { date: options.date, limit: 100, cursor: options.cursor ?? undefined },
  });
}

/** joinWaitlist — wait for a place in a full slot; answers the position in the queue. */
export function joinWaitlist(slotId: string, residentId: string): Promise<WaitlistEntry> {
  return request<WaitlistEntry>({
    method: "POST",
    path: `/v1/slots/${enc(slotId)}/waitlist`,
    data: { residentId },
  });
}

/** listMyWaitlistOffers — freed places offered to the caller or a family member, with their deadline. */
export function listMyWaitlistOffers(): Promise<ListResponse<WaitlistOffer>> {
  return request<ListResponse<WaitlistOffer>>({ path: "/v1/me/waitlist-offers" });
}

/** acceptWaitlistOffer — takes the offered place before it expires; answers the new appointment. */
export function acceptWaitlistOffer(offerId: string): Promise<Appointment> {
  return request<Appointment>({
    method: "POST",
    path: `/v1/waitlist-offers/${enc(offerId)}/accept`,
    data: {},
  });
}

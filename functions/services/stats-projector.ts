import { getContract } from "../data/contracts-repo.js";
import { get } from "../data/items.js";
import { keys } from "../data/keys.js";
import * as stats from "../data/stats-repo.js";
import { getVisitStaff } from "../data/surveys-repo.js";
import {
  type Projection,
  projectAppointment,
  projectContract,
  projectInbox,
  projectNotice,
  projectRegistration,
  projectService,
} from "../domain/reports.js";
import { monthOf } from "../domain/surveys.js";
import { logger } from "../lib/logger.js";
import { invite, recordVisitStaff } from "./surveys.js";

/**
 * Projects one changed item of the table (a stream record) into report counters, the teams'
 * month-end figures and survey invitations. Every effect is idempotent: counters through the
 * record's marker, snapshots as overwrites, invitations by their derived id; so a redelivered
 * batch changes nothing. Item types this projector does not know (including its own writes) are
 * ignored, as are the types of capabilities not deployed yet.
 */
type Image = Record<string, unknown>;

export interface Change {
  eventId: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  old?: Image;
  next?: Image;
  /** When the change happened (the record's ApproximateCreationDateTime). */
  at: string;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

async function apply(eventId: string, projection: Projection | null) {
  if (!projection) return;
  const outcome = await stats.applyProjection(eventId, projection);
  if (outcome === "duplicate") logger.info("stream record already projected", { eventId });
  // Snapshots are overwrites: refreshed on redelivery too, in case the first run stopped here.
  const teams = new Set(projection.running.map((r) => r.teamId));
  return teams;
}

export async function projectChange(change: Change): Promise<void> {
  if (change.eventName === "REMOVE") return;
  const image = change.next ?? change.old;
  const type = str(image?.type);
  const { old, next, at, eventId } = change;
  switch (type) {
    case "Contract": {
      const teams = await apply(eventId, projectContract(old, next, at));
      for (const teamId of teams ?? []) await stats.refreshSnapshot(teamId, monthOf(at));
      return;
    }
    case "Team": {
      const changed =
        !old || old.signedHouseholds !== next?.signedHouseholds || old.signedPersons !== next?.signedPersons;
      const teamId = str(next?.teamId);
      if (changed && teamId) await stats.refreshSnapshot(teamId, monthOf(at));
      return;
    }
    case "Appointment": {
      await apply(eventId, projectAppointment(old, next));
      if (next?.status === "completed" && old?.status !== "completed") {
        const appointmentId = String(next.appointmentId);
        const staff = await getVisitStaff(appointmentId);
        await invite({
          trigger: "after_appointment",
          centreId: String(next.centreId),
          residentId: String(next.residentId),
          occasion: `appointment#${appointmentId}`,
          about: {
            appointmentId,
            teamId: str(next.teamId) ?? null,
            serviceType: next.serviceType as never,
            ...(staff ? { staffId: staff.staffUserId } : {}),
          },
          at,
        });
      }
      return;
    }
    case "Service": {
      if (old || !next) return;
      const contractId = str(next.contractId);
      const contract = contractId ? ((await getContract(contractId)) as Image | undefined) : undefined;
      await apply(eventId, projectService(next, contract));
      const serviceId = str(next.serviceId);
      const staff = str(next.staffUserId);
      if (next.source === "appointment" && serviceId?.startsWith("appt_") && staff)
        await recordVisitStaff(serviceId.slice("appt_".length), staff);
      return;
    }
    case "Notice":
      await apply(eventId, projectNotice(old, next, at));
      return;
    case "InboxMessage": {
      const noticeId = str(next?.noticeId);
      if (!noticeId) return;
      const notice = await get<Image>(keys.notice(noticeId));
      await apply(eventId, projectInbox(old, next, notice, at));
      return;
    }
    case "LectureRegistration": {
      const noticeId = str(next?.noticeId);
      const notice = noticeId ? await get<Image>(keys.notice(noticeId)) : undefined;
      await apply(eventId, projectRegistration(old, next, notice, at));
      const residentId = str(next?.residentId);
      const centreId = str(next?.centreId) ?? str(notice?.centreId);
      if (next && str(next.attendedAt) && !str(old?.attendedAt) && noticeId && residentId && centreId) {
        await invite({
          trigger: "after_lecture",
          centreId,
          residentId,
          occasion: `lecture#${noticeId}`,
          about: { noticeId, teamId: str(next.teamId) ?? str(notice?.teamId) ?? null },
          at: str(next.attendedAt) ?? at,
        });
      }
      return;
    }
    default:
      return;
  }
}

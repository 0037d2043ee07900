import { ulid } from "ulid";
import { todayInChina } from "../../shared/dates.js";
import { SERVICE_TYPE_NAMES } from "../../shared/schemas/appointments.js";
import * as repo from "../data/appointments-repo.js";
import { hourOf } from "../data/appointments-repo.js";
import { getResident } from "../data/identity-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import * as waitlist from "../data/waitlist-repo.js";
import { eligibleFor, hasWaitlistPriority } from "../domain/appointments.js";
import { groupsOf } from "../domain/residents.js";
import { ApiError, conflict, forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { actsFor } from "./access.js";

/** How long a waiting resident has to take a freed place before it goes to the next. */
export const OFFER_MINUTES = 30;

export async function joinWaitlist(
  session: Session,
  slotId: string,
  residentId: string,
  signedWithTeam: (rid: string, teamId: string) => Promise<unknown>,
) {
  if (!(await actsFor(session, residentId))) throw forbidden("只能为本人或代办的家庭成员候补");
  const slot = await repo.getSlot(slotId);
  if (!slot) throw notFound("号源不存在");
  const resident = await getResident(residentId);
  if (!resident || !(await signedWithTeam(residentId, slot.teamId))) {
    throw new ApiError(403, "NOT_SIGNED", "请先与该团队签约（签约生效后才能预约）");
  }
  const groups = groupsOf(resident.birthDate, resident.declaredGroups, todayInChina());
  if (!eligibleFor(slot.serviceType, groups)) throw new ApiError(403, "NOT_ELIGIBLE", "该服务仅面向特定人群");
  if (slot.closed || Date.parse(slot.startsAt) <= Date.now()) throw conflict("SLOT_CLOSED", "该时段不可预约");
  if (slot.booked < slot.capacity) throw conflict("SLOT_AVAILABLE", "该时段还有名额，请直接预约");
  const joinedAt = new Date().toISOString();
  const priority = hasWaitlistPriority(groups);
  const outcome = await waitlist.join({ slotId, residentId, priority, joinedAt });
  if (outcome === "already-waiting") throw conflict("ALREADY_WAITING", "已在候补名单中");
  if (outcome === "already-booked") throw conflict("DUPLICATE_BOOKING", "已预约该时段");
  const position = (await waitlist.entries(slotId)).findIndex((e) => e.residentId === residentId) + 1;
  return { slotId, residentId, position, priority, joinedAt };
}

/**
 * When a place frees, it is held for the first waiting resident (priority groups first, then
 * first come) as an offer with a deadline; taking the place does not touch the slot counter again.
 */
export async function offerFreedPlace(slotId: string, now: Date): Promise<string | undefined> {
  const slot = await repo.getSlot(slotId);
  if (!slot || slot.closed || Date.parse(slot.startsAt) <= now.getTime()) return undefined;
  for (const entry of await waitlist.entries(slotId)) {
    const resident = await getResident(entry.residentId);
    // An erased account's place in the queue is passed over.
    if (!resident || resident.erasedAt) continue;
    const offer = {
      offerId: `o_${ulid()}`,
      slotId,
      residentId: entry.residentId,
      residentName: resident?.name ?? "",
      teamId: slot.teamId,
      serviceType: slot.serviceType,
      date: slot.date,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      status: "open" as const,
      expiresAtIso: new Date(now.getTime() + OFFER_MINUTES * 60_000).toISOString(),
      createdAt: now.toISOString(),
    };
    const outcome = await waitlist.offer(entry, offer, hourOf(offer.expiresAtIso));
    if (outcome === "no-place") return undefined;
    if (outcome === "offered") {
      await deliverOnce(
        entry.residentId,
        {
          kind: "appointment_reminder",
          title: "候补成功：有空余名额",
          body: `${slot.date} ${SERVICE_TYPE_NAMES[slot.serviceType]}有空余名额，请在 ${OFFER_MINUTES} 分钟内确认预约，逾期将顺延给下一位。`,
        },
        `waitlist-offer#${offer.offerId}`,
        now,
      );
      return offer.offerId;
    }
  }
  return undefined;
}

/** Offers past their deadline give their place to the next waiting resident (or back to the slot). */
export async function expireOffers(now: Date): Promise<number> {
  let expired = 0;
  for (let back = 0; back <= 2; back++) {
    const hour = hourOf(new Date(now.getTime() - back * 3_600_000).toISOString());
    for (const offer of await waitlist.offersInHour(hour)) {
      if (offer.status !== "open" || offer.expiresAtIso > now.toISOString()) continue;
      if (await waitlist.expire(offer)) {
        expired++;
        await offerFreedPlace(offer.slotId, now);
      }
    }
  }
  return expired;
}

export async function listMyOffers(residentIds: string[]) {
  const now = new Date().toISOString();
  const offers = (await Promise.all(residentIds.map((id) => waitlist.offersOfResident(id)))).flat();
  return offers
    .map((o) => ({
      offerId: o.offerId,
      slotId: o.slotId,
      residentId: o.residentId,
      residentName: o.residentName,
      teamId: o.teamId,
      serviceType: o.serviceType,
      serviceName: SERVICE_TYPE_NAMES[o.serviceType],
      date: o.date,
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      expiresAt: o.expiresAtIso,
      status: o.status === "open" && o.expiresAtIso <= now ? ("expired" as const) : o.status,
    }))
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt));
}

export const getOffer = waitlist.getOffer;

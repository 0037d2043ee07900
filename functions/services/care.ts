import { ulid } from "ulid";
import type { z } from "zod";
import { todayInChina, yearInChina } from "../../shared/dates.js";
import { SERVICE_TYPES, type ServiceType } from "../../shared/enums.js";
import type { RevealContactBody } from "../../shared/schemas/care.js";
import { ENTITLEMENT_NAMES, type EntitlementType } from "../../shared/schemas/contracts.js";
import { getContract, getSignedLock } from "../data/contracts-repo.js";
import { getResident } from "../data/identity-repo.js";
import { createItem, get, queryPage } from "../data/items.js";
import { keys } from "../data/keys.js";
import { groupsOf } from "../domain/residents.js";
import { entitled, followupsPerYear, stepDate } from "../domain/worklist.js";
import { forbidden, notFound } from "../lib/errors.js";
import { decryptPii } from "../lib/pii.js";
import type { Session } from "../lib/session.js";
import { actsFor, isManagerOf, isStaffOf } from "./access.js";

/** Reaching the resident (the audited phone reveal) and the resident's plan for the contract year. */

async function teamContractOf(residentId: string) {
  const lock = await getSignedLock(residentId);
  return lock ? getContract(lock.contractId) : undefined;
}

interface ContactAuditRecord {
  auditId: string;
  staffUserId: string;
  residentId: string;
  teamId: string;
  centreId: string;
  purpose: string;
  kind: string | null;
  at: string;
}

/**
 * The phone, only to staff of the team the resident is signed with (PIPL's minimum necessary):
 * the audit record (who, when, which resident and item) is written before the number is read.
 */
export async function revealContact(
  session: Session,
  residentId: string,
  body: z.infer<typeof RevealContactBody>,
) {
  const contract = await teamContractOf(residentId);
  if (!contract || !isStaffOf(session, contract.teamId))
    throw forbidden("只有居民签约团队的成员可以查看联系电话");
  const resident = await getResident(residentId);
  if (!resident || resident.erasedAt || !resident.phoneEnc) throw notFound("该居民未登记联系电话");
  const at = new Date().toISOString();
  const audit: ContactAuditRecord = {
    auditId: `ca_${ulid()}`,
    staffUserId: session.userId,
    residentId,
    teamId: contract.teamId,
    centreId: contract.centreId,
    purpose: body.purpose,
    kind: body.kind ?? null,
    at,
  };
  await createItem({
    ...keys.contactAudit(contract.centreId, session.userId, at, audit.auditId),
    type: "ContactAudit",
    ...audit,
  });
  return { residentId, phone: await decryptPii(resident.phoneEnc) };
}

/** A staff member's phone reveals at the manager's centre, newest first. */
export async function contactAudit(
  session: Session,
  centreId: string,
  staffId: string,
  limit: number,
  cursor?: string,
) {
  if (!isManagerOf(session, centreId)) throw forbidden("只有中心管理员可以查看");
  const page = await queryPage<ContactAuditRecord>({
    partition: keys.contactAuditOfStaff(centreId, staffId).pk,
    limit,
    cursor,
    newestFirst: true,
  });
  return {
    items: page.items.map(({ staffUserId, residentId, teamId, purpose, kind, at }) => ({
      staffUserId,
      residentId,
      teamId,
      purpose,
      kind: kind as never,
      at,
    })),
    nextCursor: page.nextCursor,
  };
}

const bookable = (type: EntitlementType): ServiceType | null =>
  (SERVICE_TYPES as readonly string[]).includes(type) ? (type as ServiceType) : null;

/**
 * What the contract year still holds for the resident: the annual assessment, chronic follow-ups
 * (the package's, at least the plan's 4), health education (the household reached this year), a
 * home visit where eligible (80+), and the rest of the packages' items; each with the slot type
 * that books it.
 */
export async function residentPlan(session: Session, residentId: string) {
  const contract = await teamContractOf(residentId);
  const residentSide = await actsFor(session, residentId);
  if (!residentSide && !(contract && isStaffOf(session, contract.teamId))) throw notFound("居民不存在");
  const running = contract && (contract.status === "active" || contract.status === "terminating");
  const resident = await getResident(residentId);
  if (!running || !contract.startDate || !contract.endDate || !resident)
    return { residentId, contractId: null, startDate: null, endDate: null, items: [] };
  const { startDate, endDate } = contract;
  const groups = groupsOf(resident.birthDate, resident.declaredGroups, todayInChina());
  const done = (t: EntitlementType) => contract.delivered[t] ?? 0;
  const item = (t: EntitlementType, expected: number, dueBy: string, doneCount = done(t)) => ({
    item: t,
    name: ENTITLEMENT_NAMES[t],
    done: doneCount,
    expected,
    dueBy,
    serviceType: bookable(t),
  });
  const items = [item("annual_assessment", Math.max(1, entitled(contract, "annual_assessment")), endDate)];
  const perYear = followupsPerYear(contract, groups);
  if (perYear > 0)
    items.push(
      item(
        "chronic_followup",
        perYear,
        stepDate(perYear, startDate, done("chronic_followup") + 1) ?? endDate,
      ),
    );
  const reached = await get(keys.householdNoticed(yearInChina(), resident.householdId));
  items.push(
    item(
      "health_education",
      Math.max(1, entitled(contract, "health_education")),
      `${yearInChina()}-12-31`,
      Math.max(done("health_education"), reached ? 1 : 0),
    ),
  );
  if (groups.includes("elderly80") || entitled(contract, "home_visit") > 0)
    items.push(item("home_visit", Math.max(1, entitled(contract, "home_visit")), endDate));
  const listed = new Set(items.map((i) => i.item));
  for (const pkg of contract.packages)
    for (const p of pkg.items)
      if (!listed.has(p.type)) {
        listed.add(p.type);
        items.push(item(p.type, entitled(contract, p.type), endDate));
      }
  return { residentId, contractId: contract.contractId, startDate, endDate, items };
}

import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { holdsCentreRole } from "../domain/invitations.js";
import type { RepresentationRecord, ResidentRecord, UserRecord } from "../domain/residents.js";
import { membersWith } from "../domain/staff.js";
import { db, tableName } from "../lib/db.js";
import { encryptPii, lookupHash } from "../lib/pii.js";
import { getTeam } from "./centres-repo.js";
import { get, queryAll } from "./items.js";
import { keys } from "./keys.js";
import { teamMembersWrite } from "./staff-repo.js";
import { transact } from "./transactions.js";

/** A user item as stored: the account, plus what staff management keeps on it. */
export type UserItem = UserRecord & {
  openidHash: string;
  /** See sessionVersionOf (lib/session.ts); absent until a manager first changes the account. */
  sessionVersion?: number;
  /** The name a staff member goes by on team cards and the staff list. */
  staffName?: string;
};

export const getUser = (userId: string) => get<UserItem>(keys.user(userId));
export const getResident = (residentId: string) =>
  get<ResidentRecord & { erasedAt?: string }>(keys.resident(residentId));
export const getRepresentation = (userId: string, residentId: string) =>
  get<RepresentationRecord>(keys.actsFor(userId, residentId));
export const listRepresentations = (userId: string) => {
  const { pk, skPrefix } = keys.actsForPrefix(userId);
  return queryAll<RepresentationRecord>(pk, skPrefix);
};
export const listRepresentatives = (residentId: string) => {
  const { pk, skPrefix } = keys.representedByPrefix(residentId);
  return queryAll<{ userId: string; residentId: string }>(pk, skPrefix);
};

/**
 * The user behind a WeChat openid, created on first login. The openid is stored only as a keyed
 * hash (for look-up) and ciphertext (for sending subscribe messages). Two first logins racing
 * create one user: the openid item's condition lets one win and the other re-reads.
 */
export async function findOrCreateUser(
  openid: string,
  initial?: Partial<UserRecord>,
): Promise<UserRecord & { sessionVersion?: number }> {
  const openidHash = await lookupHash("openid", openid);
  const existing = await get<{ userId: string }>(keys.openid(openidHash));
  if (existing) {
    const user = await getUser(existing.userId);
    if (user) return user;
  }
  const now = new Date().toISOString();
  const user: UserItem & { openidEnc: string } = {
    userId: initial?.userId ?? `u_${ulid()}`,
    roles: initial?.roles ?? ["resident"],
    teamId: initial?.teamId,
    centreId: initial?.centreId,
    districtId: initial?.districtId,
    createdAt: now,
    openidHash,
    openidEnc: await encryptPii(openid),
  };
  // Accounts created with a staff role (the demo seed's) join the centre's staff list at once,
  // under the name their team card gives them.
  const staffIndex =
    user.centreId && holdsCentreRole(user.roles) ? keys.staffMember(user.centreId, user.userId) : {};
  if (user.teamId && holdsCentreRole(user.roles))
    user.staffName = (await getTeam(user.teamId))?.members.find((m) => m.userId === user.userId)?.name;
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.openid(openidHash), type: "OpenId", userId: user.userId },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.user(user.userId), ...staffIndex, type: "User", ...user },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ]);
  if (!result.ok) return findOrCreateUser(openid, initial);
  return user;
}

export async function recordWechatSession(userId: string, sessionKey: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: "SET sessionKeyEnc = :s, lastLoginAt = :t",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":s": await encryptPii(sessionKey), ":t": new Date().toISOString() },
    }),
  );
}

export type CreateResidentOutcome = "created" | "id-taken" | "already-has-profile" | "family-full";

const residentPuts = (record: ResidentRecord, link: RepresentationRecord) => [
  {
    Put: {
      TableName: tableName(),
      Item: { ...keys.idNumber(record.idHash), type: "IdNumber", residentId: record.residentId },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Put: {
      TableName: tableName(),
      Item: { ...keys.resident(record.residentId), type: "Resident", ...record },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Put: {
      TableName: tableName(),
      Item: { ...keys.actsFor(link.userId, record.residentId), type: "Representation", ...link },
    },
  },
  {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.representedBy(record.residentId, link.userId),
        type: "Representative",
        userId: link.userId,
        residentId: record.residentId,
      },
    },
  },
];

/** Creates the account holder's own resident record; one ID number belongs to one resident. */
export async function createOwnResident(
  record: ResidentRecord,
  link: RepresentationRecord,
): Promise<CreateResidentOutcome> {
  const result = await transact([
    ...residentPuts(record, link),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(link.userId),
        UpdateExpression: "SET residentId = :r",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(residentId)",
        ExpressionAttributeValues: { ":r": record.residentId },
      },
    },
  ]);
  if (result.ok) return "created";
  return result.failed.includes(0) ? "id-taken" : "already-has-profile";
}

export const MAX_FAMILY_MEMBERS = 10;

/** Adds a family member the user acts for; the per-account limit is held by a conditional counter. */
export async function createFamilyMember(
  record: ResidentRecord,
  link: RepresentationRecord,
): Promise<CreateResidentOutcome> {
  const result = await transact([
    ...residentPuts(record, link),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(link.userId),
        UpdateExpression: "SET familyCount = if_not_exists(familyCount, :zero) + :one",
        ConditionExpression:
          "attribute_exists(pk) AND (attribute_not_exists(familyCount) OR familyCount < :max)",
        ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":max": MAX_FAMILY_MEMBERS },
      },
    },
  ]);
  if (result.ok) return "created";
  return result.failed.includes(0) ? "id-taken" : "family-full";
}

/** Replaces the own profile; a changed ID number moves its unique look-up item atomically. */
export async function replaceResident(
  previous: ResidentRecord,
  next: ResidentRecord,
): Promise<"updated" | "id-taken"> {
  const idItems =
    previous.idHash === next.idHash
      ? []
      : [
          {
            Delete: {
              TableName: tableName(),
              Key: keys.idNumber(previous.idHash),
              ConditionExpression: "residentId = :r",
              ExpressionAttributeValues: { ":r": previous.residentId },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.idNumber(next.idHash), type: "IdNumber", residentId: next.residentId },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ];
  const result = await transact([
    ...idItems,
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.resident(next.residentId), type: "Resident", ...next },
        ConditionExpression: "attribute_exists(pk)",
      },
    },
  ]);
  return result.ok ? "updated" : "id-taken";
}

/**
 * Erasure (PIPL right to deletion): personal fields go; what statistics need (birth year, sex,
 * centre, groups) stays on an anonymous stub so contracts still count. Residents someone else also
 * represents, or who have their own account, are only unlinked.
 */
/**
 * The residents this account represents, each with whether erasing the account erases them: only
 * those no one else represents and with no account of their own (the others are only unlinked).
 */
export async function representedForErasure(userId: string) {
  return Promise.all(
    (await listRepresentations(userId)).map(async (link) => {
      const resident = await getResident(link.residentId);
      const others = (await listRepresentatives(link.residentId)).filter((r) => r.userId !== userId);
      const ownsAccount = resident?.accountUserId && resident.accountUserId !== userId;
      const erase = !!resident && !resident.erasedAt && others.length === 0 && !ownsAccount;
      return { residentId: link.residentId, resident, erase };
    }),
  );
}

/** The personal data goes; an anonymous stub keeps what statistics need (birth year, sex, centre, groups). */
const erasureItems = (resident: ResidentRecord, now: string) => [
  { Delete: { TableName: tableName(), Key: keys.idNumber(resident.idHash) } },
  {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.resident(resident.residentId),
        type: "Resident",
        residentId: resident.residentId,
        birthYear: resident.birthDate.slice(0, 4),
        sex: resident.sex,
        centreId: resident.centreId,
        neighbourhoodId: resident.neighbourhoodId,
        declaredGroups: resident.declaredGroups,
        createdAt: resident.createdAt,
        erasedAt: now,
      },
    },
  },
];

/** Who holds an ID number (by its keyed hash): to tell "already your family member" from "someone else's". */
export const idNumberOwner = async (idHash: string) =>
  (await get<{ residentId: string }>(keys.idNumber(idHash)))?.residentId;

/** A representative's correction of a family member: the record and the relation together. */
export async function saveFamilyMember(record: ResidentRecord, link: RepresentationRecord): Promise<boolean> {
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.resident(record.residentId), type: "Resident", ...record },
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(erasedAt)",
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.actsFor(link.userId, record.residentId), type: "Representation", ...link },
        ConditionExpression: "attribute_exists(pk)",
      },
    },
  ]);
  return result.ok;
}

/**
 * Removes a family member from the account: the two link items and one from the account's family
 * count; with `erase`, also the member's personal data (no one else acts for them). False when the
 * link was already gone (a retried removal).
 */
export async function removeFamilyLink(
  userId: string,
  resident: ResidentRecord,
  erase: boolean,
  now: string,
): Promise<boolean> {
  const result = await transact([
    {
      Delete: {
        TableName: tableName(),
        Key: keys.actsFor(userId, resident.residentId),
        ConditionExpression: "attribute_exists(pk)",
      },
    },
    { Delete: { TableName: tableName(), Key: keys.representedBy(resident.residentId, userId) } },
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        // Every family link counted one when it was made (createFamilyMember).
        UpdateExpression: "SET familyCount = if_not_exists(familyCount, :one) - :one",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
    ...(erase ? erasureItems(resident, now) : []),
  ]);
  return result.ok;
}

export async function deleteAccount(user: UserRecord & { openidHash: string }): Promise<string[]> {
  const erased: string[] = [];
  const now = new Date().toISOString();
  for (const link of await representedForErasure(user.userId)) {
    const resident = link.resident;
    const unlink = [
      { Delete: { TableName: tableName(), Key: keys.actsFor(user.userId, link.residentId) } },
      { Delete: { TableName: tableName(), Key: keys.representedBy(link.residentId, user.userId) } },
    ];
    if (!link.erase || !resident) {
      await transact(unlink);
      continue;
    }
    await transact([...unlink, ...erasureItems(resident, now)]);
    erased.push(resident.residentId);
  }
  // A staff account leaves its team card with the account, or the card would name (and show as
  // able to approve) someone who no longer exists. The card's condition may race a manager's
  // change: a few fresh tries, then the request fails and its retry finishes the erasure.
  for (let attempt = 0; ; attempt++) {
    const team = user.teamId ? await getTeam(user.teamId) : undefined;
    const card = team
      ? teamMembersWrite(
          team.teamId,
          user.userId,
          team.members,
          membersWith(team.members, user.userId, [], ""),
        )
      : undefined;
    const result = await transact([
      { Delete: { TableName: tableName(), Key: keys.openid(user.openidHash) } },
      { Delete: { TableName: tableName(), Key: keys.user(user.userId) } },
      ...(card ? [card] : []),
    ]);
    if (result.ok) return erased;
    if (attempt >= 2) throw new Error("the team card kept changing while the account was erased");
  }
}

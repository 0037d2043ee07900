import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Role } from "../../shared/enums.js";
import { db, tableName } from "../lib/db.js";
import { get, putIfAbsent, queryPage, writeIf } from "./items.js";
import { keys } from "./keys.js";
import { type TransactItem, transact } from "./transactions.js";

interface InvitationBase {
  code: string;
  createdBy: string;
  expiresAtIso: string;
  /** Epoch seconds: the table's TTL attribute. */
  expiresAt: number;
  claimedBy?: string;
  revokedAt?: string;
}

/** A centre's invitation, issued by its manager, to a staff role (and team). */
export interface CentreInvitation extends InvitationBase {
  role: Exclude<Role, "resident" | "district">;
  centreId: string;
  teamId?: string;
}

/** The district viewer's (区卫健委) invitation: issued by the operator (`ops invite-district`), on no centre's list. */
export interface DistrictInvitation extends InvitationBase {
  role: "district";
  districtId: string;
}

export type InvitationRecord = CentreInvitation | DistrictInvitation;

/** A new invitation goes on its centre's list of open ones at once. */
export async function saveInvitation(invitation: CentreInvitation): Promise<boolean> {
  return putIfAbsent({
    ...keys.invitation(invitation.code),
    ...keys.openInvitation(invitation.centreId, invitation.expiresAtIso, invitation.code),
    type: "Invitation",
    ...invitation,
  });
}

export const getInvitation = (code: string) => get<InvitationRecord>(keys.invitation(code));

/**
 * One page of a centre's open invitations, latest expiry first. Claimed and revoked ones leave the
 * index; expired ones stay until TTL removes them (DynamoDB Local never does), but they sort last,
 * so the first expired one ends the list: a page never walks through them.
 */
export async function listOpenInvitations(centreId: string, now: Date, limit: number, cursor?: string) {
  const page = await queryPage<CentreInvitation>({
    index: "gsi1",
    partition: keys.openInvitationsOfCentre(centreId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });
  const open = page.items.filter((i) => i.expiresAt * 1000 > now.getTime());
  return { items: open, nextCursor: open.length < page.items.length ? null : page.nextCursor };
}

/** Revokes an open invitation of the centre; false when it is not open any more (or not the centre's). */
export const revokeInvitation = (code: string, centreId: string, now: Date) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invitation(code),
        UpdateExpression: "SET revokedAt = :now REMOVE gsi1pk, gsi1sk",
        ConditionExpression:
          "attribute_exists(pk) AND centreId = :centre AND attribute_not_exists(claimedBy) AND attribute_not_exists(revokedAt)",
        ExpressionAttributeValues: { ":now": now.toISOString(), ":centre": centreId },
      }),
    ),
  );

/**
 * Claims a one-time code together with the account's and the team card's changes (built by the
 * caller on the state it read), all or nothing. A used, revoked or expired code fails its
 * condition, and so does an account or team changed since it was read.
 */
export async function claimInvitation(
  invitation: InvitationRecord,
  userId: string,
  changes: TransactItem[],
  now: Date,
): Promise<"claimed" | "unavailable" | "changed"> {
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.invitation(invitation.code),
        UpdateExpression: "SET claimedBy = :u, claimedAt = :now REMOVE gsi1pk, gsi1sk",
        ConditionExpression:
          "attribute_exists(pk) AND attribute_not_exists(claimedBy) AND attribute_not_exists(revokedAt) AND expiresAt > :epoch",
        ExpressionAttributeValues: {
          ":u": userId,
          ":now": now.toISOString(),
          ":epoch": Math.floor(now.getTime() / 1000),
        },
      },
    },
    ...changes,
  ]);
  if (result.ok) return "claimed";
  return result.failed.includes(0) ? "unavailable" : "changed";
}

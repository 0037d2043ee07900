import type { Role } from "../../shared/enums.js";
import type { UserRecord } from "../domain/residents.js";
import { tableName } from "../lib/db.js";
import { get, putIfAbsent } from "./items.js";
import { keys } from "./keys.js";
import { transact } from "./transactions.js";

export interface InvitationRecord {
  code: string;
  role: Exclude<Role, "resident">;
  centreId: string;
  teamId?: string;
  createdBy: string;
  expiresAtIso: string;
  /** Epoch seconds: the table's TTL attribute. */
  expiresAt: number;
  claimedBy?: string;
}

export async function saveInvitation(invitation: InvitationRecord): Promise<boolean> {
  return putIfAbsent({ ...keys.invitation(invitation.code), type: "Invitation", ...invitation });
}

export const getInvitation = (code: string) => get<InvitationRecord>(keys.invitation(code));

/**
 * Claims a one-time code: the invitation is marked used, the user gets the role, and a team
 * member joins the team card, all or nothing. A used or expired code fails its condition.
 */
export async function claimInvitation(
  invitation: InvitationRecord,
  user: UserRecord,
  roles: Role[],
  memberName: string,
  now: Date,
): Promise<"claimed" | "unavailable"> {
  const teamUpdate = invitation.teamId
    ? [
        {
          Update: {
            TableName: tableName(),
            Key: keys.team(invitation.teamId),
            UpdateExpression: "SET members = list_append(members, :m)",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: {
              ":m": [{ userId: user.userId, name: memberName, role: invitation.role }],
            },
          },
        },
      ]
    : [];
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.invitation(invitation.code),
        UpdateExpression: "SET claimedBy = :u, claimedAt = :now",
        ConditionExpression:
          "attribute_exists(pk) AND attribute_not_exists(claimedBy) AND expiresAt > :epoch",
        ExpressionAttributeValues: {
          ":u": user.userId,
          ":now": now.toISOString(),
          ":epoch": Math.floor(now.getTime() / 1000),
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        UpdateExpression: invitation.teamId
          ? "SET #roles = :roles, centreId = :centre, teamId = :team"
          : "SET #roles = :roles, centreId = :centre",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#roles": "roles" },
        ExpressionAttributeValues: {
          ":roles": roles,
          ":centre": invitation.centreId,
          ...(invitation.teamId ? { ":team": invitation.teamId } : {}),
        },
      },
    },
    ...teamUpdate,
  ]);
  return result.ok ? "claimed" : "unavailable";
}

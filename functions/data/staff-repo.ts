import { holdsCentreRole, type RoleState } from "../domain/invitations.js";
import { sessionVersionOf } from "../domain/staff.js";
import type { TeamMember } from "../domain/teams.js";
import { tableName } from "../lib/db.js";
import type { UserItem } from "./identity-repo.js";
import { queryPage } from "./items.js";
import { keys } from "./keys.js";
import { type TransactItem, transact } from "./transactions.js";

/**
 * Staff accounts of a centre: the roles, centre and team on the user item (with the staff-list
 * index entry and the session version kept in step), and the team cards' member lists.
 */

/** One page of the centre's staff list (an index: a change shows a moment later). */
export const listStaffOfCentre = (centreId: string, limit: number, cursor?: string) =>
  queryPage<UserItem>({ index: "gsi1", partition: keys.staffOfCentre(centreId).gsi1pk, limit, cursor });

/**
 * Writes an account's roles, centre and team, on condition that they (and its session version) are
 * still what the caller read and decided on: a concurrent claim or manager's change fails the write
 * instead of being overwritten. `revoke` raises the session version, which refuses every token
 * issued before (lib/session.ts).
 */
export function roleStateWrite(
  user: UserItem,
  next: RoleState,
  options: { revoke: boolean; staffName?: string },
): TransactItem {
  const sets = ["#roles = :roles"];
  const removes: string[] = [];
  const values: Record<string, unknown> = { ":roles": next.roles, ":seenRoles": user.roles };
  const conditions = ["attribute_exists(pk)", "#roles = :seenRoles"];
  const field = (name: "centreId" | "teamId", value: string | undefined, seen: string | undefined) => {
    if (value) {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    } else removes.push(name);
    if (seen) {
      conditions.push(`${name} = :seen_${name}`);
      values[`:seen_${name}`] = seen;
    } else conditions.push(`attribute_not_exists(${name})`);
  };
  field("centreId", next.centreId, user.centreId);
  field("teamId", next.teamId, user.teamId);
  if (next.centreId && holdsCentreRole(next.roles)) {
    const index = keys.staffMember(next.centreId, user.userId);
    sets.push("gsi1pk = :gsi1pk", "gsi1sk = :gsi1sk");
    Object.assign(values, { ":gsi1pk": index.gsi1pk, ":gsi1sk": index.gsi1sk });
    if (options.staffName) {
      sets.push("staffName = :staffName");
      values[":staffName"] = options.staffName;
    }
  } else removes.push("gsi1pk", "gsi1sk", "staffName");
  if (user.sessionVersion === undefined) conditions.push("attribute_not_exists(sessionVersion)");
  else {
    conditions.push("sessionVersion = :seenVersion");
    values[":seenVersion"] = user.sessionVersion;
  }
  if (options.revoke) {
    sets.push("sessionVersion = :version");
    values[":version"] = sessionVersionOf(user) + 1;
  }
  return {
    Update: {
      TableName: tableName(),
      Key: keys.user(user.userId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Adds the district role (read-only over one district) on condition that the roles are still the
 * ones read: a centre role claimed meanwhile fails it. Only adds, so the session version stays.
 */
export function districtRoleWrite(
  user: UserItem,
  roles: readonly string[],
  districtId: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.user(user.userId),
      UpdateExpression: "SET #roles = :roles, districtId = :district",
      ConditionExpression:
        "attribute_exists(pk) AND #roles = :seenRoles AND (attribute_not_exists(districtId) OR districtId = :district)",
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: { ":roles": roles, ":seenRoles": user.roles, ":district": districtId },
    },
  };
}

/**
 * The write that turns a team card's member list from `seen` into `next`, where only `userId`'s
 * entries differ (domain/staff.ts membersWith); undefined when nothing changes. Entries are
 * appended, or removed by position on condition that each position still holds the entry read, so
 * concurrent claims (appends) to one team never conflict; only a change that both adds and drops
 * entries of a team replaces the list, on condition that it is the list read. The household
 * counters on the same item are not touched.
 */
export function teamMembersWrite(
  teamId: string,
  userId: string,
  seen: readonly TeamMember[],
  next: readonly TeamMember[],
): TransactItem | undefined {
  const held = (list: readonly TeamMember[], m: TeamMember) =>
    list.some((n) => n.userId === userId && n.role === m.role);
  const dropped = seen.flatMap((m, i) => (m.userId === userId && !held(next, m) ? [i] : []));
  const added = next.filter((m) => m.userId === userId && !held(seen, m));
  const update = (expression: string, condition: string, values: Record<string, unknown>): TransactItem => ({
    Update: {
      TableName: tableName(),
      Key: keys.team(teamId),
      UpdateExpression: expression,
      ConditionExpression: `attribute_exists(pk) AND ${condition}`,
      ExpressionAttributeNames: { "#members": "members", ...(dropped.length ? { "#role": "role" } : {}) },
      ExpressionAttributeValues: values,
    },
  });
  if (dropped.length && added.length)
    return update("SET #members = :next", "#members = :seen", { ":seen": seen, ":next": next });
  if (added.length)
    return update("SET #members = list_append(#members, :added)", "attribute_exists(#members)", {
      ":added": added,
    });
  if (!dropped.length) return undefined;
  const values: Record<string, unknown> = { ":user": userId };
  const conditions = dropped.map((i) => {
    values[`:role${i}`] = seen[i]?.role;
    return `#members[${i}].userId = :user AND #members[${i}].#role = :role${i}`;
  });
  return update(
    `REMOVE ${dropped.map((i) => `#members[${i}]`).join(", ")}`,
    conditions.join(" AND "),
    values,
  );
}

export type StaffWriteOutcome = "done" | "changed";

/** An account's change with its team cards' changes, all or nothing. */
export async function writeStaffChange(items: TransactItem[]): Promise<StaffWriteOutcome> {
  return (await transact(items)).ok ? "done" : "changed";
}

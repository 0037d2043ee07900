import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FollowUp } from "../../shared/schemas/surveys.js";
import { db, tableName } from "../lib/db.js";
import { get, getMany, queryPage, writeIf } from "./items.js";
import { keys } from "./keys.js";

/**
 * Follow-ups (回访) of low scores: one item per response, assigned (again while open), then closed
 * once. `responseMonth` puts its counts in the monthly report of the low score's month.
 */
export type FollowUpRecord = FollowUp & { responseMonth: string };

/** The assignee's lists: "open" while assigned, "resolved" once closed. */
export type AssigneeList = "open" | "resolved";
const listKey = (f: Pick<FollowUp, "assigneeId" | "assignedAt" | "responseId">, state: AssigneeList) =>
  keys.followUpOfAssignee(f.assigneeId, state, f.assignedAt, f.responseId);

export const getFollowUp = (responseId: string) => get<FollowUpRecord>(keys.followUp(responseId));

export const followUpsOf = (responseIds: readonly string[]) =>
  getMany<FollowUpRecord>(responseIds.map((id) => keys.followUp(id)));

/** Assigns (or re-assigns) while the follow-up is not closed; false once it is. */
export const assign = (record: FollowUpRecord) =>
  writeIf(() =>
    db.send(
      new PutCommand({
        TableName: tableName(),
        // A Put: a reassignment replaces the previous assignee's list entry with the new one's.
        Item: {
          ...keys.followUp(record.responseId),
          ...listKey(record, "open"),
          type: "FollowUp",
          ...record,
        },
        ConditionExpression: "attribute_not_exists(pk) OR #status = :assigned",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":assigned": "assigned" },
      }),
    ),
  );

/**
 * Closes an open follow-up with its outcome, once, moving it to the assignee's resolved list; false
 * once it is closed or was reassigned since it was read.
 */
export const close = (
  followUp: FollowUpRecord,
  outcome: Pick<FollowUp, "outcome" | "issue" | "action" | "note" | "closedAt" | "closedBy">,
) => {
  const resolved = listKey(followUp, "resolved");
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.followUp(followUp.responseId),
        UpdateExpression:
          "SET #status = :closed, outcome = :o, issue = :i, #action = :a, note = :n, closedAt = :at, closedBy = :by, gsi1pk = :lpk, gsi1sk = :lsk",
        // Still the assignment that was read: a reassignment in between must not be filed under the old one.
        ConditionExpression: "#status = :assigned AND assignedAt = :assignedAt",
        ExpressionAttributeNames: { "#status": "status", "#action": "action" },
        ExpressionAttributeValues: {
          ":closed": "closed",
          ":assigned": "assigned",
          ":o": outcome.outcome,
          ":i": outcome.issue,
          ":a": outcome.action,
          ":n": outcome.note,
          ":at": outcome.closedAt,
          ":by": outcome.closedBy,
          ":assignedAt": followUp.assignedAt,
          ":lpk": resolved.gsi1pk,
          ":lsk": resolved.gsi1sk,
        },
      }),
    ),
  );
};

/** One page of the follow-ups assigned to a staff member, newest assignment first. */
export const followUpsOfAssignee = (
  assigneeId: string,
  state: AssigneeList,
  limit: number,
  cursor?: string,
) =>
  queryPage<FollowUpRecord>({
    index: "gsi1",
    partition: keys.followUpsOfAssignee(assigneeId, state).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
    // Re-read from the table: a follow-up just closed or reassigned away is dropped, not shown stale.
    fresh: true,
  });

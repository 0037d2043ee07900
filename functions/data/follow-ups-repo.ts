import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { FollowUp } from "../../shared/schemas/surveys.js";
import { db, tableName } from "../lib/db.js";
import { get, getMany, writeIf } from "./items.js";
import { keys } from "./keys.js";

/**
 * Follow-ups (回访) of low scores: one item per response, assigned (again while open), then closed
 * once. `responseMonth` puts its counts in the monthly report of the low score's month.
 */
export type FollowUpRecord = FollowUp & { responseMonth: string };

export const getFollowUp = (responseId: string) => get<FollowUpRecord>(keys.followUp(responseId));

export const followUpsOf = (responseIds: readonly string[]) =>
  getMany<FollowUpRecord>(responseIds.map((id) => keys.followUp(id)));

/** Assigns (or re-assigns) while the follow-up is not closed; false once it is. */
export const assign = (record: FollowUpRecord) =>
  writeIf(() =>
    db.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.followUp(record.responseId), type: "FollowUp", ...record },
        ConditionExpression: "attribute_not_exists(pk) OR #status = :assigned",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":assigned": "assigned" },
      }),
    ),
  );

/** Closes an open follow-up with its outcome, once. */
export const close = (
  responseId: string,
  outcome: Pick<FollowUp, "outcome" | "issue" | "action" | "note" | "closedAt" | "closedBy">,
) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.followUp(responseId),
        UpdateExpression:
          "SET #status = :closed, outcome = :o, issue = :i, #action = :a, note = :n, closedAt = :at, closedBy = :by",
        ConditionExpression: "#status = :assigned",
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
        },
      }),
    ),
  );

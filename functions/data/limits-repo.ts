import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../lib/db.js";
import { writeIf } from "./items.js";
import { keys } from "./keys.js";

/**
 * Takes one request from a caller's count for a window, in one conditional UpdateItem: the count
 * grows only while it is below `limit`, so concurrent Lambdas can never pass more than `limit`
 * between them. False when the window is used up. Each window has its own item, so an expired item
 * that TTL has not deleted yet (DynamoDB Local never deletes) is simply never read again.
 */
export function takeFromWindow(
  window: { subject: string; group: string; index: number; expiresAt: number },
  limit: number,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.limitWindow(window.subject, window.group, window.index),
        UpdateExpression: "SET #type = :type, expiresAt = :expiresAt ADD #n :one",
        ConditionExpression: "attribute_not_exists(#n) OR #n < :limit",
        ExpressionAttributeNames: { "#type": "type", "#n": "n" },
        ExpressionAttributeValues: {
          ":type": "RateWindow",
          ":expiresAt": window.expiresAt,
          ":one": 1,
          ":limit": limit,
        },
      }),
      { abortSignal },
    ),
  );
}

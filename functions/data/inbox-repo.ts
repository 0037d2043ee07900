import { ulid } from "ulid";
import { tableName } from "../lib/db.js";
import { keys } from "./keys.js";
import { transact } from "./transactions.js";

/** A message in a resident's in-app inbox, the channel of record for notices and reminders. */
export interface InboxMessage {
  kind: "renewal_reminder" | "lecture" | "seasonal" | "emergency" | "education" | "appointment_reminder";
  title: string;
  body: string;
  contractId?: string;
  noticeId?: string;
}

/**
 * Delivers a message once per dedupe key: the marker and the message are written together, so a
 * re-run job or a redelivered batch finds the marker and writes nothing.
 */
export async function deliverOnce(
  residentId: string,
  message: InboxMessage,
  dedupeKey: string,
  at: Date,
): Promise<boolean> {
  const sentAt = at.toISOString();
  const messageId = `m_${ulid()}`;
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.sentOnce(dedupeKey), type: "SentOnce", residentId, messageId, sentAt },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.inboxMessage(residentId, sentAt, messageId),
          type: "InboxMessage",
          messageId,
          residentId,
          sentAt,
          read: false,
          ...message,
        },
      },
    },
  ]);
  return result.ok;
}

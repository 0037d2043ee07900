import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { mapLimit } from "../lib/concurrency.js";
import { db, tableName } from "../lib/db.js";
import { queryAll } from "./items.js";
import { keys } from "./keys.js";
import { type TransactItem, transact } from "./transactions.js";

/** A message in a resident's in-app inbox, the channel of record for notices and reminders. */
export interface InboxMessage {
  kind:
    | "renewal_reminder"
    | "lecture"
    | "seasonal"
    | "emergency"
    | "education"
    | "appointment_reminder"
    | "contract_result";
  title: string;
  body: string;
  contractId?: string;
  noticeId?: string;
}

/**
 * The two items of a once-only delivery: a marker that fails if the dedupe key was used, and the
 * message itself. Callers add what else must change with the delivery (counters…).
 */
export function deliveryItems(
  residentId: string,
  message: InboxMessage & { centreId?: string; teamId?: string },
  dedupeKey: string,
  at: Date,
): TransactItem[] {
  const sentAt = at.toISOString();
  const messageId = `m_${ulid()}`;
  return [
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
  ];
}

/**
 * Delivers a message once per dedupe key: the marker and the message are written together, so a
 * re-run job or a redelivered batch finds the marker and writes nothing.
 */
export async function deliverOnce(residentId: string, message: InboxMessage, dedupeKey: string, at: Date) {
  return (await transact(deliveryItems(residentId, message, dedupeKey, at))).ok;
}

/**
 * Erasure: the resident's inbox goes (its texts name the resident: reminders, offers). Notice
 * statistics already counted stay, since the stream projector does not count removals.
 */
export async function clearInbox(residentId: string): Promise<number> {
  const { pk, skPrefix } = keys.inboxPrefix(residentId);
  const messages = await queryAll<{ sentAt: string; messageId: string }>(pk, skPrefix);
  await mapLimit(messages, 10, (m) =>
    db.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.inboxMessage(residentId, m.sentAt, m.messageId),
      }),
    ),
  );
  return messages.length;
}

import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ServiceType } from "../../shared/enums.js";
import { db, tableName } from "../lib/db.js";
import { takeSlotPlace } from "./appointments-repo.js";
import { get, queryAll, queryPage } from "./items.js";
import { keys } from "./keys.js";
import { transact } from "./transactions.js";

/** Waiting lists for full slots, and the time-limited offers made when a place frees. */
export interface WaitlistEntryRecord {
  slotId: string;
  residentId: string;
  priority: boolean;
  joinedAt: string;
}

export interface OfferRecord {
  offerId: string;
  slotId: string;
  residentId: string;
  /** What the offer is for, copied from the slot so the offer can be shown on its own. */
  residentName: string;
  teamId: string;
  serviceType: ServiceType;
  date: string;
  startsAt: string;
  endsAt: string;
  status: "open" | "accepted" | "expired";
  expiresAtIso: string;
  createdAt: string;
}

const T = () => tableName();

export async function join(
  entry: WaitlistEntryRecord,
): Promise<"joined" | "already-booked" | "already-waiting"> {
  const result = await transact([
    {
      ConditionCheck: {
        TableName: T(),
        Key: keys.slotBooking(entry.slotId, entry.residentId),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: T(),
        Item: { ...keys.waitlistMember(entry.slotId, entry.residentId), type: "WaitlistMember" },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.waitlistEntry(entry.slotId, entry.priority, entry.joinedAt, entry.residentId),
          type: "WaitlistEntry",
          ...entry,
        },
      },
    },
  ]);
  if (result.ok) return "joined";
  return result.failed.includes(0) ? "already-booked" : "already-waiting";
}

/** In offer order: the sort key puts priority residents first, then the earliest. */
export const entries = (slotId: string) => {
  const { pk, skPrefix } = keys.waitlistPrefix(slotId);
  return queryAll<WaitlistEntryRecord>(pk, skPrefix);
};

/** Holds a freed place for one waiting resident; "no-place" when someone booked it meanwhile. */
export async function offer(
  entry: WaitlistEntryRecord,
  offerRecord: OfferRecord,
  expiryHour: string,
): Promise<"offered" | "no-place" | "gone"> {
  const result = await transact([
    takeSlotPlace(entry.slotId),
    {
      Delete: {
        TableName: T(),
        Key: keys.waitlistEntry(entry.slotId, entry.priority, entry.joinedAt, entry.residentId),
        ConditionExpression: "attribute_exists(pk)",
      },
    },
    { Delete: { TableName: T(), Key: keys.waitlistMember(entry.slotId, entry.residentId) } },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.offer(offerRecord.offerId),
          ...keys.offersOfResident(entry.residentId),
          gsi1sk: offerRecord.createdAt,
          type: "WaitlistOffer",
          ...offerRecord,
        },
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.offerHour(expiryHour, offerRecord.offerId),
          type: "OfferHour",
          offerId: offerRecord.offerId,
        },
      },
    },
  ]);
  if (result.ok) return "offered";
  return result.failed.includes(0) ? "no-place" : "gone";
}

export const getOffer = (offerId: string) => get<OfferRecord>(keys.offer(offerId));

export async function offersInHour(hour: string): Promise<OfferRecord[]> {
  const ids = await queryAll<{ offerId: string }>(`OFFERHOUR#${hour}`, "OFFER#");
  const offers = await Promise.all(ids.map(({ offerId }) => getOffer(offerId)));
  return offers.filter((o): o is OfferRecord => o !== undefined);
}

/** An unanswered offer lapses and its held place returns to the slot, once. */
export async function expire(offerRecord: OfferRecord): Promise<boolean> {
  const result = await transact([
    {
      Update: {
        TableName: T(),
        Key: keys.offer(offerRecord.offerId),
        UpdateExpression: "SET #status = :expired",
        ConditionExpression: "#status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":expired": "expired", ":open": "open" },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.slot(offerRecord.slotId),
        UpdateExpression: "SET booked = booked - :one",
        ConditionExpression: "booked > :zero",
        ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
      },
    },
  ]);
  return result.ok;
}

export const offersOfResident = async (residentId: string) =>
  (
    await queryPage<OfferRecord>({
      index: "gsi1",
      partition: keys.offersOfResident(residentId).gsi1pk,
      limit: 20,
      newestFirst: true,
      fresh: true,
    })
  ).items;

/** Erasure: offers keep the slot and the outcome, not the name. */
export async function anonymiseOffers(residentId: string): Promise<void> {
  await Promise.all(
    (await offersOfResident(residentId)).map((o) =>
      db.send(
        new UpdateCommand({
          TableName: T(),
          Key: keys.offer(o.offerId),
          UpdateExpression: "SET residentName = :n",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":n": "已注销居民" },
        }),
      ),
    ),
  );
}

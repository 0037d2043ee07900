import { isDeepStrictEqual } from "node:util";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { decodeCursor, encodeCursor } from "../lib/cursor.js";
import { db, tableName } from "../lib/db.js";

/** Generic item access shared by the repositories; entity-specific keys live in keys.ts. */
type Item = Record<string, unknown>;

/** Drops the table's key and index attributes: callers see the entity, not its storage. */
export function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
}

/**
 * Reads on the table itself are strongly consistent: a request often follows the one that wrote
 * (log in, then save the profile; apply, then approve), and another Lambda's eventually consistent
 * read could miss that write. It costs one read unit per 4 KB instead of half of one. Index queries
 * cannot be consistent; what reads an index must tolerate a moment's lag.
 */
export async function get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const out = await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return strip<T>(out.Item);
}

/**
 * Items by key, consistently (see get), in BatchGet calls of 100; keys with no item are left out.
 * BatchGet may leave keys unprocessed under load: those are asked again, a bounded number of times.
 */
export async function getMany<T>(itemKeys: readonly { pk: string; sk: string }[]): Promise<T[]> {
  return (await getManyStored(itemKeys)).map((item) => strip<T>(item) as T);
}

/** getMany with the key and index attributes kept. */
async function getManyStored(itemKeys: readonly { pk: string; sk: string }[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = itemKeys.slice(i, i + 100);
    for (let round = 0; pending?.length && round < 5; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** round * Math.random()));
      const out: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(out.Responses?.[tableName()] ?? []));
      pending = out.UnprocessedKeys?.[tableName()]?.Keys;
    }
    if (pending?.length) throw new Error(`BatchGet left ${pending.length} keys unprocessed`);
  }
  return found;
}

/** Everything under one partition with a sort-key prefix, following pages to the end (small sets only). */
export async function queryAll<T>(pk: string, skPrefix: string): Promise<T[]> {
  const items: T[] = [];
  let start: Item | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
        ExpressionAttributeValues: { ":pk": pk, ":sk": skPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) items.push(strip<T>(item) as T);
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * One page of a Query on the table or an index, with an opaque cursor for the next.
 *
 * `fresh` (index queries): the index finds, the table tells. An index lags the table, so its copy of
 * an item can be older than a write the caller just made (a cancelled visit still shown booked, a
 * team's count before the last signing). The page's items are read again from the table,
 * consistently, and an item that has since left this partition or prefix is dropped. Costs one read
 * unit per item on top of the query; an item written within the index's lag can still be missing.
 */
export async function queryPage<T>(options: {
  index?: "gsi1" | "gsi2";
  partition: string;
  skPrefix?: string;
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
  fresh?: boolean;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  const pkName = options.index ? `${options.index}pk` : "pk";
  const skName = options.index ? `${options.index}sk` : "sk";
  const out = await db.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: options.index,
      // Consistent on the table (see get); an index cannot be.
      ConsistentRead: options.index ? undefined : true,
      KeyConditionExpression: options.skPrefix ? "#pk = :pk AND begins_with(#sk, :sk)" : "#pk = :pk",
      ExpressionAttributeNames: options.skPrefix ? { "#pk": pkName, "#sk": skName } : { "#pk": pkName },
      ExpressionAttributeValues: options.skPrefix
        ? { ":pk": options.partition, ":sk": options.skPrefix }
        : { ":pk": options.partition },
      Limit: options.limit,
      ScanIndexForward: !options.newestFirst,
      ExclusiveStartKey: decodeCursor(options.cursor, { [pkName]: options.partition }),
    }),
  );
  const found: Item[] = out.Items ?? [];
  const items =
    options.fresh && options.index
      ? await fromTable(
          found,
          (item) =>
            item[pkName] === options.partition &&
            String(item[skName] ?? "").startsWith(options.skPrefix ?? ""),
        )
      : found;
  return {
    items: items.map((item) => strip<T>(item) as T),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}

/**
 * One page of an index query's items that `matches` keeps (a search): the index is read on in
 * chunks until `limit` items matched or `maxRead` were read, each item read again from the table as
 * with queryPage's `fresh`. The cursor resumes right after the last item read, so a page cut short
 * by `maxRead`, even an empty one, still says where the next starts and nothing is skipped or repeated.
 */
export async function queryMatching<T>(options: {
  index: "gsi1" | "gsi2";
  partition: string;
  skPrefix?: string;
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
  matches: (item: T) => boolean;
  maxRead: number;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  const pkName = `${options.index}pk`;
  const skName = `${options.index}sk`;
  const items: T[] = [];
  let start = decodeCursor(options.cursor, { [pkName]: options.partition });
  let read = 0;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: options.index,
        KeyConditionExpression: options.skPrefix ? "#pk = :pk AND begins_with(#sk, :sk)" : "#pk = :pk",
        ExpressionAttributeNames: options.skPrefix ? { "#pk": pkName, "#sk": skName } : { "#pk": pkName },
        ExpressionAttributeValues: options.skPrefix
          ? { ":pk": options.partition, ":sk": options.skPrefix }
          : { ":pk": options.partition },
        Limit: Math.min(100, options.maxRead - read),
        ScanIndexForward: !options.newestFirst,
        ExclusiveStartKey: start,
      }),
    );
    const found: Item[] = out.Items ?? [];
    read += found.length;
    start = out.LastEvaluatedKey;
    const stored = await fromTable(
      found,
      (item) =>
        item[pkName] === options.partition && String(item[skName] ?? "").startsWith(options.skPrefix ?? ""),
    );
    const byKey = new Map(stored.map((i) => [`${i.pk}\n${i.sk}`, i]));
    for (const [n, indexed] of found.entries()) {
      const item = byKey.get(`${indexed.pk}\n${indexed.sk}`);
      const entity = item && (strip<T>(item) as T);
      if (!entity || !options.matches(entity)) continue;
      items.push(entity);
      if (items.length === options.limit) {
        // Full mid-chunk: the next page starts after this item (its index key, as DynamoDB's own).
        if (n < found.length - 1) start = pick(indexed, ["pk", "sk", pkName, skName]);
        return { items, nextCursor: encodeCursor(start) };
      }
    }
  } while (start && read < options.maxRead);
  return { items, nextCursor: encodeCursor(start) };
}

const pick = (item: Item, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, item[name]]));

/**
 * Index items read again from the table, consistently, in the index's order (see queryPage's
 * `fresh`); an item gone from the table, or no longer matching `stillListed`, is dropped.
 */
export async function fromTable(
  found: readonly Item[],
  stillListed: (item: Item) => boolean,
): Promise<Item[]> {
  if (found.length === 0) return [];
  const stored = new Map(
    (await getManyStored(found.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })))).map((i) => [
      `${i.pk}\n${i.sk}`,
      i,
    ]),
  );
  return found
    .map((i) => stored.get(`${i.pk}\n${i.sk}`))
    .filter((item): item is Item => item !== undefined && stillListed(item));
}

/**
 * Runs a conditional write; false when its condition did not hold, so callers say what that means
 * (a duplicate, a full slot…) instead of each catching the SDK's exception.
 */
export async function writeIf(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** Writes an item unless one with the same key exists; true when written (seeding, idempotent creates). */
export const putIfAbsent = (item: Item & { pk: string; sk: string; type: string }) =>
  writeIf(() =>
    db.send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
    ),
  );

/**
 * Creates an item under a key no one else writes (a fresh id); true when created. A create whose
 * answer was lost (a time-out after it took effect) is retried by the SDK and then finds its own
 * item: an existing item equal to this one counts as created, so a create never reports a conflict
 * with itself.
 */
export async function createItem(item: Item & { pk: string; sk: string; type: string }): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName(),
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // Compared as stored: attributes left undefined are not written (db.ts).
    return (
      error.Item !== undefined && isDeepStrictEqual(unmarshall(error.Item), JSON.parse(JSON.stringify(item)))
    );
  }
}

import { encodeCursor } from "../lib/cursor.js";
import { fieldError } from "../lib/errors.js";

/**
 * One newest-first list over several partitions (a family's residents, each with their own
 * appointments or inbox): one query per partition, merged. The cursor keeps each partition's own
 * position ("" = from the start, null = done), so pages never skip or repeat an item.
 */
export async function mergeNewestFirst<T>(options: {
  partitions: string[];
  limit: number;
  cursor?: string;
  fetch: (
    partition: string,
    limit: number,
    cursor?: string,
  ) => Promise<{ items: T[]; nextCursor: string | null }>;
  sortKey: (item: T) => string;
  /** The DynamoDB key (table and index attributes) right after which a partition resumes. */
  resumeKey: (item: T, partition: string) => Record<string, string>;
}): Promise<{ items: T[]; nextCursor: string | null }> {
  let positions: Record<string, string | null> = Object.fromEntries(options.partitions.map((p) => [p, ""]));
  if (options.cursor) {
    try {
      positions = JSON.parse(Buffer.from(options.cursor, "base64url").toString("utf8")) as Record<
        string,
        string | null
      >;
    } catch {
      throw fieldError("cursor", "分页参数无效");
    }
  }
  const fetched = new Map<string, { items: T[]; nextCursor: string | null }>();
  for (const partition of options.partitions) {
    const position = positions[partition];
    if (position === null || position === undefined) continue;
    fetched.set(partition, await options.fetch(partition, options.limit, position || undefined));
  }
  const merged = [...fetched].flatMap(([partition, page]) => page.items.map((item) => ({ partition, item })));
  merged.sort((a, b) => options.sortKey(b.item).localeCompare(options.sortKey(a.item)));
  const taken = merged.slice(0, options.limit);
  const next: Record<string, string | null> = {};
  for (const [partition, page] of fetched) {
    const mine = taken.filter((t) => t.partition === partition);
    const last = mine.at(-1)?.item;
    if (mine.length === page.items.length) next[partition] = page.nextCursor;
    else if (!last) next[partition] = positions[partition] ?? "";
    else next[partition] = encodeCursor(options.resumeKey(last, partition));
  }
  const more = Object.values(next).some((p) => p !== null);
  return {
    items: taken.map((t) => t.item),
    nextCursor: more ? Buffer.from(JSON.stringify(next)).toString("base64url") : null,
  };
}

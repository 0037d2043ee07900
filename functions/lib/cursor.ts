import { ApiError } from "./errors.js";

type Key = Record<string, unknown>;

/**
 * Opaque pagination cursors: the DynamoDB LastEvaluatedKey, base64url-encoded. A cursor is only
 * accepted for the partition it came from, so a tampered cursor is a 400, never a failed query.
 */
export const encodeCursor = (key: Key | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key), "utf8").toString("base64url") : null;

export function decodeCursor(cursor: string | undefined, expect: Key): Key | undefined {
  if (!cursor) return undefined;
  const invalid = new ApiError(400, "INVALID_CURSOR", "分页参数无效", [
    { path: "cursor", message: "分页参数无效" },
  ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (!key || typeof key !== "object" || Array.isArray(key)) throw invalid;
  const record = key as Key;
  for (const [name, value] of Object.entries(expect)) if (record[name] !== value) throw invalid;
  // A start key must be exactly a key of the table (pk, sk) or of the index queried (plus its own
  // gsiNpk, gsiNsk): anything more or less makes DynamoDB refuse the query.
  const index = Object.keys(expect)
    .map((name) => /^(gsi\d+)pk$/.exec(name)?.[1])
    .find(Boolean);
  const names = index ? ["pk", "sk", `${index}pk`, `${index}sk`] : ["pk", "sk"];
  const present = Object.keys(record);
  if (present.length !== names.length || !names.every((n) => typeof record[n] === "string")) throw invalid;
  return record;
}

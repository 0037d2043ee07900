import * as z from "zod/mini";

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
    message: z.string(),
    details: z.optional(z.array(ErrorDetail)),
    requestId: z.optional(z.string()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const MAX_PAGE_SIZE = 100;
export const PageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE_SIZE)), 20),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

/** Every list answers `{items, nextCursor}` (API.md "Lists"). */
export const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

/** `YYYY-MM-DD` in Asia/Shanghai. */
export const DateString = z.iso.date();
/** ISO-8601 with offset. */
export const DateTimeString = z.iso.datetime({ offset: true });
/** Fen: money is an integer number of 分. */
export const Fen = z.number().check(z.int(), z.minimum(0));

/** Identifiers we mint are ULIDs with a short prefix; anything else is 404, never 500. */
export const EntityId = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, "无效的编号"));

export const Empty = z.strictObject({});

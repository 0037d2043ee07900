import { z } from "zod";

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const MAX_PAGE_SIZE = 100;
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: z.string().max(1024).optional(),
});

/** Every list answers `{items, nextCursor}` (API.md "Lists"). */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** `YYYY-MM-DD` in Asia/Shanghai. */
export const DateString = z.iso.date();
/** ISO-8601 with offset. */
export const DateTimeString = z.iso.datetime({ offset: true });
/** Fen: money is an integer number of 分. */
export const Fen = z.number().int().min(0);

/** Identifiers we mint are ULIDs with a short prefix; anything else is 404, never 500. */
export const EntityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "无效的编号");

export const Empty = z.object({}).strict();

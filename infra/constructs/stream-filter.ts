import { TABLE } from "../../functions/data/table.js";
import { PROJECTED_TYPES } from "../../functions/domain/reports.js";

/**
 * Lambda filter patterns of the stream workers, by worker name, as plain data: the CDK stack turns
 * each into the event source mapping's FilterCriteria, and the local stream poller applies the same
 * pattern before it invokes the worker, so a record the filter drops is dropped locally too.
 * Patterns use one form only: at each leaf, the list of values let through.
 */
export type FilterPattern = { readonly [key: string]: FilterPattern | readonly string[] };

export const STREAM_FILTERS: Readonly<Record<string, FilterPattern>> = {
  // Inserts and changes (REMOVE counts nothing) of the item types the projector counts.
  statsProjector: {
    eventName: ["INSERT", "MODIFY"],
    dynamodb: { NewImage: { [TABLE.typeAttribute]: { S: PROJECTED_TYPES } } },
  },
};

/** Whether a Lambda-shaped stream record matches a pattern (a missing field matches no list). */
export function matchesFilter(pattern: FilterPattern, record: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = record && typeof record === "object" ? (record as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) return typeof value === "string" && rule.includes(value);
    return matchesFilter(rule as FilterPattern, value);
  });
}

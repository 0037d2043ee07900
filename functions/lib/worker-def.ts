import type { AwsUse } from "./route.js";

/** One background worker: what triggers it and what it may touch (read by CDK and the local runtime). */
export interface WorkerDef {
  name: string;
  summary: string;
  /** Module under functions/, without extension; it exports `handler`. */
  handler: string;
  /**
   * An EventBridge schedule expression (UTC), an SQS queue the worker consumes, or the table's
   * DynamoDB stream (NEW_AND_OLD_IMAGES), for projections such as report counters.
   */
  trigger: { schedule: string } | { queue: "notices" | "reminders" } | { stream: "table" };
  data: "read" | "readwrite";
  uses?: readonly AwsUse[];
}

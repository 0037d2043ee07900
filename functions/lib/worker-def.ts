/** One background worker: what triggers it and what it may touch (read by CDK and the local runtime). */
export interface WorkerDef {
  name: string;
  summary: string;
  /** Module under functions/, without extension; it exports `handler`. */
  handler: string;
  /** An EventBridge schedule expression (UTC), or an SQS queue the worker consumes. */
  trigger: { schedule: string } | { queue: "notices" | "reminders" };
  data: "read" | "readwrite";
  uses?: readonly ("secrets" | "wechat" | "queue")[];
}

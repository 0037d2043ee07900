import type { WorkerDef } from "./lib/worker-def.js";

/** Background work, listed once for the CDK stack and the local runtime (which runs it in-process). */
export const workers = [
  {
    name: "contractRenewals",
    summary: "每日：到期签约自动续约、解约中的到期终止、改签交接，以及到期前 30/14/3 天提醒",
    handler: "workers/contract-renewals",
    // 16:10 UTC = 00:10 in Asia/Shanghai, just after the day turns.
    trigger: { schedule: "cron(10 16 * * ? *)" },
    data: "readwrite",
  },
] as const satisfies readonly WorkerDef[];

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
  {
    name: "appointmentReminders",
    summary: "每 15 分钟：预约前 24 小时和 2 小时提醒（每个预约各一次），并顺延过期的候补名额",
    handler: "workers/appointment-reminders",
    trigger: { schedule: "rate(15 minutes)" },
    data: "readwrite",
  },
] as const satisfies readonly WorkerDef[];

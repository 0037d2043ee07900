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
  {
    name: "noticePublisher",
    summary: "每 5 分钟：到时的定时通知进入分发队列",
    handler: "workers/notice-publisher",
    trigger: { schedule: "rate(5 minutes)" },
    data: "readwrite",
    uses: ["notices-queue"],
  },
  {
    name: "noticeFanout",
    summary: "通知分发：按批写入每位居民的收件箱（幂等），并按订阅授权推送微信订阅消息",
    handler: "workers/notice-fanout",
    trigger: { queue: "notices" },
    data: "readwrite",
    uses: ["secrets", "wechat"],
  },
  {
    name: "statsProjector",
    summary: "表流：月报计数、团队月末数据与满意度问卷邀请（每条记录幂等）",
    handler: "workers/stats-projector",
    trigger: { stream: "table" },
    data: "readwrite",
  },
] as const satisfies readonly WorkerDef[];

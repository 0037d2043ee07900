import type { WorkerDef } from "./lib/worker-def.js";

/** Background work, listed once for the CDK stack and the local runtime (which runs it in-process). */
export const workers = [
  {
    name: "contractRenewals",
    summary:
      "每日：规划续约分页任务（到期自动续约、解约中的到期终止、改签交接，以及到期前 30/14/3 天提醒）和前几日未记录就诊的关闭，由 jobPages 逐页处理；表流赶上后结账上月月报",
    handler: "workers/contract-renewals",
    // 16:10 UTC = 00:10 in Asia/Shanghai, just after the day turns.
    trigger: { schedule: "cron(10 16 * * ? *)" },
    data: "readwrite",
    uses: ["reminders-queue"],
  },
  {
    name: "appointmentReminders",
    summary: "每 15 分钟：规划预约前 24 小时和 2 小时提醒（每个开始小时一条分页任务），只读尚未发送的提醒",
    handler: "workers/appointment-reminders",
    trigger: { schedule: "rate(15 minutes)" },
    data: "readwrite",
    uses: ["reminders-queue"],
  },
  {
    name: "jobPages",
    summary:
      "续约与提醒的分页任务：每页有界，先续发下一页再逐项处理（每项幂等）；预约提醒写入收件箱并按订阅授权推送微信订阅消息",
    handler: "workers/job-pages",
    trigger: { queue: "reminders" },
    data: "readwrite",
    // The next page goes on the same queue; visit reminders are pushed (openid decrypted, WeChat token).
    uses: ["reminders-queue", "secrets", "wechat"],
  },
  {
    name: "waitlistOffers",
    summary: "每 5 分钟：过期未确认的候补名额顺延给下一位（独立于预约提醒运行）",
    handler: "workers/waitlist-offers",
    trigger: { schedule: "rate(5 minutes)" },
    data: "readwrite",
  },
  {
    name: "noticePublisher",
    summary: "每 5 分钟：到时的定时通知进入分发队列，并从检查点续发停滞的分发",
    handler: "workers/notice-publisher",
    trigger: { schedule: "rate(5 minutes)" },
    data: "readwrite",
    uses: ["notices-queue"],
  },
  {
    name: "noticeFanout",
    summary:
      "通知分发：按团队逐页读取受众（有界分页、检查点续传），写入收件箱（幂等），并按订阅授权推送微信订阅消息",
    handler: "workers/notice-fanout",
    trigger: { queue: "notices" },
    data: "readwrite",
    // Each page queues the next one; pushes decrypt the openid and use the WeChat access token.
    uses: ["notices-queue", "secrets", "wechat"],
  },
  {
    name: "statsProjector",
    summary: "表流：月报计数（计入事件发生的月份）、已结账月份的修订与满意度问卷邀请（每条记录幂等）",
    handler: "workers/stats-projector",
    trigger: { stream: "table" },
    data: "readwrite",
    // The visit's survey invitation goes out as a subscribe message where the family granted one.
    uses: ["secrets", "wechat"],
  },
] as const satisfies readonly WorkerDef[];

import type { Context, ScheduledEvent } from "aws-lambda";
import { beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The daily worker's own wiring: it plans the renewals of the event's day, and only an unnarrowed
 * run (the schedule's) closes the months, at the event's time rather than the clock's, so a re-run
 * for a past day closes what that day would have. The services it calls have their own stack tests.
 */
const planRenewals = vi.fn(async () => ({ pages: 0 }));
const closeDueMonths = vi.fn(async () => ({ centres: 2, closed: 1, notYet: 1 }));
vi.mock("../services/renewals.js", () => ({ planRenewals }));
vi.mock("../services/month-closing.js", () => ({ closeDueMonths }));

const { handler } = await import("./contract-renewals.js");

const event = (detail: { teamId?: string }): ScheduledEvent<{ teamId?: string }> => ({
  version: "0",
  id: "evt-daily",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "000000000000",
  time: "2026-04-01T16:10:00Z",
  region: "cn-north-1",
  resources: [],
  detail,
});
const context = { functionName: "contractRenewals", awsRequestId: "req-1" } as Context;

describe("the daily contract-renewals worker", () => {
  beforeEach(() => {
    planRenewals.mockClear();
    closeDueMonths.mockClear();
  });

  it("closes the due months at the event's time after planning the day's renewals", async () => {
    await handler(event({}), context);
    expect(planRenewals).toHaveBeenCalledWith(new Date("2026-04-01T16:10:00Z"), "evt-daily", undefined);
    expect(closeDueMonths).toHaveBeenCalledTimes(1);
    expect(closeDueMonths).toHaveBeenCalledWith(new Date("2026-04-01T16:10:00Z"));
    expect(planRenewals.mock.invocationCallOrder[0]).toBeLessThan(
      closeDueMonths.mock.invocationCallOrder[0] as number,
    );
  });

  it("closes no month on a run narrowed to one team (operations, tests)", async () => {
    await handler(event({ teamId: "t_one" }), context);
    expect(planRenewals).toHaveBeenCalledWith(new Date("2026-04-01T16:10:00Z"), "evt-daily", "t_one");
    expect(closeDueMonths).not.toHaveBeenCalled();
  });
});

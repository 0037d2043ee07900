import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { keys } from "../functions/data/keys.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import type { DistrictMonthlyReport, MonthlyReport, ReportRow } from "../shared/schemas/reports.js";
import { api, stack } from "./support/api.js";
import { accountWithRole, isolatedCentre } from "./support/centres.js";
import { backend } from "./support/surveys.js";

/**
 * A month that is closed stays closed (issue 15, item 6): a month's figures come from its facts,
 * each counted in the month its event happened (Asia/Shanghai), a past month closes once the
 * stream has caught up, and a later correction shows as a dated revision.
 *
 * The stream records are fed to the projector's own handler in-process (as test/reports.test.ts
 * does), with the creation times a month boundary needs; the centre, its team and the reports are
 * the real stack's, read over HTTP by the centre's manager and a district viewer.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const MARCH = "2026-03";
const APRIL = "2026-04";

let centre: Awaited<ReturnType<typeof isolatedCentre>>;
let district: { districtId: string; token: string };
let feed: (
  records: { at: string; next: Record<string, unknown>; old?: Record<string, unknown> }[],
) => Promise<void>;
let closing: typeof import("../functions/services/month-closing.js");
let seq = 0;
let quietTeam: string;

const report = async (month: string) => {
  const res = await api("GET", `/v1/centres/${centre.centreId}/reports/monthly?month=${month}`, {
    token: centre.manager,
  });
  expect(res.status).toBe(200);
  return res.body as MonthlyReport;
};
const rowOf = (r: MonthlyReport) => r.teams.find((t) => t.key === centre.teamId) as ReportRow;
const team = (signed: number) => ({
  type: "Team",
  teamId: centre.teamId,
  centreId: centre.centreId,
  name: "x",
  signedHouseholds: signed,
  signedPersons: signed,
});
const contract = (id: string) => ({
  type: "Contract",
  contractId: `k_close_${id}`,
  centreId: centre.centreId,
  teamId: centre.teamId,
  status: "active",
  groupsAtSigning: ["elderly"],
  packages: [{ items: [{ type: "consultation", timesPerYear: 4 }] }],
});
const visit = (status: string) => ({
  type: "Appointment",
  appointmentId: `a_close_${centre.centreId}`,
  residentId: "r_close",
  centreId: centre.centreId,
  teamId: centre.teamId,
  serviceType: "consultation",
  date: "2026-03-20",
  status,
});

beforeAll(async () => {
  centre = await isolatedCentre("结账");
  // A second team with nothing in March: a closed month keeps it (stored by its name alone).
  const quiet = await api("POST", `/v1/centres/${centre.centreId}/teams`, {
    token: centre.manager,
    body: { name: "结账第二团队", members: [{ name: "测试护士", role: "nurse" }] },
  });
  expect(quiet.status).toBe(201);
  quietTeam = quiet.body.teamId;
  const districtId = `d_close_${Date.now().toString(36)}`;
  await localClient(stack().dynamoEndpoint).send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.district(districtId),
        type: "District",
        districtId,
        name: "结账区",
        centreIds: [centre.centreId],
      }),
    }),
  );
  district = { districtId, token: (await accountWithRole("district", { districtId })).token };

  await backend();
  const { handler } = await import("../functions/workers/stats-projector.js");
  const { marshall: toImage } = await import("@aws-sdk/util-dynamodb");
  closing = await import("../functions/services/month-closing.js");
  feed = async (records) => {
    const batch = records.map((r) => {
      seq++;
      return {
        eventID: `evt-close-${centre.centreId}-${seq}`,
        eventName: r.old ? "MODIFY" : "INSERT",
        eventSource: "aws:dynamodb",
        dynamodb: {
          ApproximateCreationDateTime: Date.parse(r.at) / 1000,
          SequenceNumber: String(seq).padStart(8, "0"),
          NewImage: toImage(r.next),
          ...(r.old ? { OldImage: toImage(r.old) } : {}),
        },
      };
    });
    const out = await handler({ Records: batch } as never, {} as never);
    expect(out).toEqual({ batchItemFailures: [] });
  };

  // March: a household signs at 23:59:59 on the 31st (China time) and a visit is completed on
  // the 20th; a second household signs at 00:00:01 on 1 April.
  await feed([
    { at: "2026-03-20T02:00:00Z", next: visit("completed") },
    { at: "2026-03-31T15:59:59Z", old: team(0), next: team(1) },
    { at: "2026-03-31T15:59:59Z", next: contract("march") },
    { at: "2026-03-31T16:00:01Z", old: team(1), next: team(2) },
    { at: "2026-03-31T16:00:01Z", next: contract("april") },
  ]);
});

describe("months from their facts", () => {
  it("counts a write just after midnight of the 1st in the new month, and carries month ends forward", async () => {
    const march = await report(MARCH);
    const april = await report(APRIL);

    // Not closed yet: both computed from the facts
    expect(march.closed).toBeNull();
    expect(rowOf(march)).toMatchObject({
      signedHouseholds: 1,
      signedPersons: 1,
      contractsNew: 1,
      prioritySigned: 1,
      appointmentsBooked: 1,
      appointmentsCompleted: 1,
    });
    expect(rowOf(march).services.consultation).toEqual({ delivered: 0, entitled: 0.33, fulfilmentRate: 0 });
    // April: March's end plus April's own signing, and only April's new contract
    expect(rowOf(april)).toMatchObject({
      signedHouseholds: 2,
      signedPersons: 2,
      contractsNew: 1,
      prioritySigned: 2,
      appointmentsBooked: 0,
    });
  });
});

describe("a closed month", () => {
  let closed: MonthlyReport;

  it("closes once the stream is past month end, and stays unchanged after new writes", async () => {
    // Act: close March (the projector's position is now, long past 2 April)
    expect(await closing.closeMonth(centre.centreId, MARCH, new Date())).toBe("closed");
    expect(await closing.closeMonth(centre.centreId, MARCH, new Date())).toBe("already_closed");
    // A month cannot close before its end and the day after
    expect(await closing.closeMonth(centre.centreId, APRIL, new Date("2026-05-01T12:00:00+08:00"))).toBe(
      "not_yet",
    );
    closed = await report(MARCH);
    expect(closed.closed).toEqual({ closedAt: expect.any(String), revision: 0 });
    expect(closed.revisions).toEqual([]);
    expect(rowOf(closed)).toMatchObject({ signedPersons: 1, contractsNew: 1, appointmentsCompleted: 1 });
    const quietRow = closed.teams.find((t) => t.key === quietTeam);
    expect(quietRow).toMatchObject({ name: "结账第二团队", signedPersons: 0, appointmentsBooked: 0 });
    expect(closed.total.signedPersons).toBe(1);

    // New writes: April signings and a visit booked in April
    await feed([
      { at: "2026-04-02T03:00:00Z", old: team(2), next: team(3) },
      { at: "2026-04-02T03:00:00Z", next: contract("april-2") },
      {
        at: "2026-04-02T03:00:00Z",
        next: { ...visit("booked"), appointmentId: "a_close_2", date: "2026-04-05" },
      },
    ]);
    // Assess: April moved, March did not
    expect(rowOf(await report(APRIL))).toMatchObject({
      signedPersons: 3,
      contractsNew: 2,
      appointmentsBooked: 1,
    });
    const after = await report(MARCH);
    expect({ ...after, generatedAt: "" }).toEqual({ ...closed, generatedAt: "" });
  });

  it("shows a corrected visit outcome as a revision with its date, once under redelivery", async () => {
    // Act: the 20 March visit corrected from completed to no-show on 3 April (within its window)
    const correction = { at: "2026-04-03T01:00:00Z", old: visit("completed"), next: visit("no_show") };
    await feed([correction]);
    seq--;
    await feed([correction]);

    // Assess
    const revised = await report(MARCH);
    expect(revised.closed).toEqual({ closedAt: closed.closed?.closedAt, revision: 1 });
    expect(revised.revisions).toHaveLength(1);
    const [revision] = revised.revisions ?? [];
    expect(revision?.at).toBe("2026-04-03T01:00:00.000Z");
    expect(revision?.changes).toEqual(
      expect.arrayContaining([
        { key: centre.teamId, field: "appointmentsCompleted", from: 1, to: 0 },
        { key: centre.teamId, field: "appointmentsNoShow", from: 0, to: 1 },
        { key: "total", field: "appointmentsNoShow", from: 0, to: 1 },
      ]),
    );
    expect(revision?.changes.every((c) => c.field.startsWith("appointments"))).toBe(true);
    // The figures are the revised ones; everything else as closed
    expect(rowOf(revised)).toEqual({ ...rowOf(closed), appointmentsCompleted: 0, appointmentsNoShow: 1 });

    // The district's report carries the centre's closing and its revision
    const res = await api("GET", `/v1/districts/${district.districtId}/reports/monthly?month=${MARCH}`, {
      token: district.token,
    });
    expect(res.status).toBe(200);
    const body = res.body as DistrictMonthlyReport;
    expect(body.closed).toEqual({ closedAt: closed.closed?.closedAt });
    expect(body.revisions).toEqual([{ centreId: centre.centreId, ...revision }]);
    expect(body.centres[0]).toMatchObject({ appointmentsNoShow: 1, signedPersons: 1 });
    const open = await api("GET", `/v1/districts/${district.districtId}/reports/monthly?month=${APRIL}`, {
      token: district.token,
    });
    expect(open.body.closed).toBeNull();
  });
});

describe("the daily closing", () => {
  it("closes the months before the current one oldest first, each carrying the one before's end", async () => {
    // Prepare: another centre whose only team signs a household in January and one in February
    const other = await isolatedCentre("日结");
    const teamOf = (signed: number) => ({ ...team(signed), teamId: other.teamId, centreId: other.centreId });
    const { handler } = await import("../functions/workers/stats-projector.js");
    const { marshall: toImage } = await import("@aws-sdk/util-dynamodb");
    const records = [
      ["2026-01-10T02:00:00Z", teamOf(0), teamOf(1)],
      ["2026-02-10T02:00:00Z", teamOf(1), teamOf(2)],
    ].map(([at, old, next], i) => ({
      eventID: `evt-daily-${other.centreId}-${i}`,
      eventName: "MODIFY",
      eventSource: "aws:dynamodb",
      dynamodb: {
        ApproximateCreationDateTime: Date.parse(at as string) / 1000,
        SequenceNumber: String(i + 1),
        NewImage: toImage(next as object),
        OldImage: toImage(old as object),
      },
    }));
    expect(await handler({ Records: records } as never, {} as never)).toEqual({ batchItemFailures: [] });
    const signedIn = async (month: string) => {
      const res = await api("GET", `/v1/centres/${other.centreId}/reports/monthly?month=${month}`, {
        token: other.manager,
      });
      return { closed: res.body.closed, signed: res.body.teams[0].signedPersons };
    };

    // Act: the run of 1 April 23:00 (too early for March), then the one of 2 April 00:10
    const early = await closing.closeDueMonths(new Date("2026-04-01T23:00:00+08:00"), [other.centreId]);
    const jan = await signedIn("2026-01");
    const mar = await signedIn("2026-03");
    const daily = await closing.closeDueMonths(new Date("2026-04-02T00:10:00+08:00"), [other.centreId]);

    // Assess
    expect(early).toEqual({ centres: 1, closed: 2, notYet: 1 });
    expect(jan).toEqual({ closed: { closedAt: expect.any(String), revision: 0 }, signed: 1 });
    expect(mar).toEqual({ closed: null, signed: 2 });
    expect(daily).toEqual({ centres: 1, closed: 1, notYet: 0 });
    expect(await signedIn("2026-02")).toMatchObject({ signed: 2 });
    expect(await signedIn("2026-03")).toEqual({
      closed: { closedAt: "2026-04-01T16:10:00.000Z", revision: 0 },
      signed: 2,
    });
  });
});

import { describe, expect, it } from "vitest";
import { addDays } from "../shared/dates.js";
import { DEFAULT_SETTINGS } from "../shared/settings.js";
import { api, devLogin, newResident } from "./support/api.js";
import { inboxTitles, publish, soonWindow } from "./support/appointments.js";
import { isolatedCentre } from "./support/centres.js";
import { applyBody, runJob } from "./support/contracts.js";

/**
 * Centre settings (issue 15, item 4): the manager sets the local rules within legal bounds, every
 * change is audited, and a change applies to new actions only.
 */

const settingsOf = (centreId: string, token: string) =>
  api("GET", `/v1/centres/${centreId}/settings`, { token });
const put = (centreId: string, token: string, body: unknown) =>
  api("PUT", `/v1/centres/${centreId}/settings`, { token, body });

describe("centre settings", () => {
  it("shows the defaults until the centre sets its own, and refuses values out of bounds naming the field", async () => {
    // Prepare
    const c = await isolatedCentre();
    // Act
    const fresh = await settingsOf(c.centreId, c.manager);
    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      centreId: c.centreId,
      overridden: [],
      updatedAt: null,
      history: [],
      settings: {
        teamCapacityHouseholds: DEFAULT_SETTINGS.teamCapacityHouseholds,
        cancelDeadlineHours: DEFAULT_SETTINGS.cancelDeadlineHours,
        renewalReminderDays: [...DEFAULT_SETTINGS.renewalReminderDays],
        annualSurveyLeadDays: 30,
        crossAreaSigning: false,
      },
    });
    for (const [body, field] of [
      [{ teamCapacityHouseholds: 801 }, "teamCapacityHouseholds"],
      [{ teamCapacityHouseholds: 0 }, "teamCapacityHouseholds"],
      [{ cancelDeadlineHours: -1 }, "cancelDeadlineHours"],
      [{ renewalReminderDays: [30, 30] }, "renewalReminderDays"],
      [{ renewalReminderDays: [120] }, "renewalReminderDays.0"],
      [{ surveyExpiryDays: 1.5 }, "surveyExpiryDays"],
      [{ crossAreaSigning: "yes" }, "crossAreaSigning"],
    ] as const) {
      const res = await put(c.centreId, c.manager, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const unknown = await put(c.centreId, c.manager, { teamCapacityMaxHouseholds: 1000 });
    expect(unknown.status).toBe(400);
    expect((await put(c.centreId, c.manager, {})).status).toBe(400);
    // Nothing was stored by the refused requests.
    expect((await settingsOf(c.centreId, c.manager)).body.history).toEqual([]);
  });

  it("lets only the centre's own manager read or change its settings", async () => {
    const c = await isolatedCentre();
    const demoManager = await devLogin("demo-manager");
    const resident = await newResident();
    expect((await settingsOf(c.centreId, demoManager)).status).toBe(403);
    expect((await put(c.centreId, demoManager, { cancelDeadlineHours: 0 })).status).toBe(403);
    expect((await put(c.centreId, c.doctor, { cancelDeadlineHours: 0 })).status).toBe(403);
    expect((await settingsOf(c.centreId, resident.token)).status).toBe(403);
    expect((await settingsOf(c.centreId, c.manager)).body.overridden).toEqual([]);
  });

  it("audits each change (who, when, old → new) and uses the centre's value for new teams and cross-area signing", async () => {
    const c = await isolatedCentre();
    const resident = await newResident(); // lives in the demo centre's area
    const refused = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, c.teamId),
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("OUT_OF_AREA");

    const before = Date.now();
    const changed = await put(c.centreId, c.manager, { crossAreaSigning: true, teamCapacityHouseholds: 120 });
    expect(changed.status).toBe(200);
    expect(changed.body.settings).toMatchObject({ crossAreaSigning: true, teamCapacityHouseholds: 120 });
    expect(changed.body.overridden.sort()).toEqual(["crossAreaSigning", "teamCapacityHouseholds"]);
    expect(changed.body.history).toHaveLength(1);
    const [entry] = changed.body.history;
    expect(entry.byUserId).toBe(c.managerId);
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(entry.changes).toEqual(
      expect.arrayContaining([
        { setting: "crossAreaSigning", old: false, new: true },
        { setting: "teamCapacityHouseholds", old: 600, new: 120 },
      ]),
    );
    // Saving the same values again records nothing.
    const again = await put(c.centreId, c.manager, { crossAreaSigning: true });
    expect(again.body.history).toHaveLength(1);

    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, c.teamId),
    });
    expect(applied.status).toBe(201);
    const team = await api("POST", `/v1/centres/${c.centreId}/teams`, {
      token: c.manager,
      body: { name: "新团队", members: [{ name: "新护士", role: "nurse" }] },
    });
    expect(team.body.capacityHouseholds).toBe(120);
    // The demo centre keeps its defaults.
    const demo = await settingsOf("c_demo", await devLogin("demo-manager"));
    expect(demo.body.settings.crossAreaSigning).toBe(false);
  });

  it("changes the cancel deadline for bookings made after the change only", async () => {
    // Prepare: two residents signed with the centre's team, a slot starting within the hour
    const c = await isolatedCentre();
    await put(c.centreId, c.manager, { crossAreaSigning: true });
    const residents = [];
    for (let i = 0; i < 2; i++) {
      const r = await newResident();
      const applied = await api("POST", "/v1/contracts", {
        token: r.token,
        body: applyBody(r.residentId, c.teamId),
      });
      const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
        token: c.doctor,
      });
      expect(approved.status).toBe(200);
      residents.push(r);
    }
    const [first, second] = residents as [(typeof residents)[0], (typeof residents)[0]];
    const soon = soonWindow();
    const [slot] = await publish(c.teamId, c.doctor, {
      date: soon.date,
      startTime: soon.startTime,
      endTime: soon.endTime,
      slotMinutes: 15,
    });
    const book = (r: typeof first) =>
      api("POST", "/v1/appointments", {
        token: r.token,
        body: { slotId: slot?.slotId, residentId: r.residentId },
      });
    const cancel = (r: typeof first, appointmentId: string) =>
      api("POST", `/v1/appointments/${appointmentId}/cancel`, {
        token: r.token,
        body: { reason: "临时有事" },
      });

    // Act: one booking under the default (2 hours), the deadline set to 0, then a second booking
    const early = await book(first);
    expect(early.status).toBe(201);
    const changed = await put(c.centreId, c.manager, { cancelDeadlineHours: 0 });
    expect(changed.body.history[0].changes).toEqual([{ setting: "cancelDeadlineHours", old: 2, new: 0 }]);
    const late = await book(second);
    expect(late.status).toBe(201);

    // Assess: the earlier booking keeps its 2-hour deadline, the later one may cancel
    const refused = await cancel(first, early.body.appointmentId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("TOO_LATE_TO_CANCEL");
    const allowed = await cancel(second, late.body.appointmentId);
    expect(allowed.status).toBe(200);
    expect(allowed.body.status).toBe("cancelled");
  });

  it("sends renewal reminders on the centre's own days", async () => {
    const c = await isolatedCentre();
    await put(c.centreId, c.manager, { crossAreaSigning: true, renewalReminderDays: [10] });
    const r = await newResident();
    const applied = await api("POST", "/v1/contracts", {
      token: r.token,
      body: applyBody(r.residentId, c.teamId),
    });
    const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
      token: c.doctor,
    });
    const end = approved.body.endDate as string;
    const reminders = async () => (await inboxTitles(r.residentId)).filter((t) => t.includes("到期"));

    await runJob("contractRenewals", `${addDays(end, -30)}T00:10:00+08:00`, { teamId: c.teamId });
    expect(await reminders()).toEqual([]);
    await runJob("contractRenewals", `${addDays(end, -10)}T00:10:00+08:00`, { teamId: c.teamId });
    expect(await reminders()).toEqual(["家庭医生签约将于 10 天后到期"]);
  });
});

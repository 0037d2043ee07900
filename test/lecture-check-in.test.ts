import { describe, expect, it } from "vitest";
import { api } from "./support/api.js";
import { newTeamWithDoctor, signedResident } from "./support/contracts.js";
import { delivered, noticeBody } from "./support/notices.js";

const lectureBody = (teamId: string, title: string) => ({
  ...noticeBody({ scope: "team", teamId }),
  kind: "lecture",
  title,
  lecture: {
    venue: "中心三楼多功能厅",
    startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    capacity: 20,
  },
});

describe("lecture check-in by QR code (issue 14, item 3)", () => {
  it("checks a registered resident in with the screen's code: attended moves, education counts once", async () => {
    // Prepare
    const { teamId, doctor } = await newTeamWithDoctor();
    const [resident, absent] = [await signedResident(teamId, doctor), await signedResident(teamId, doctor)];
    const lecture = await api("POST", "/v1/notices", {
      token: doctor,
      body: lectureBody(teamId, "控糖讲座"),
    });
    const other = await api("POST", "/v1/notices", { token: doctor, body: lectureBody(teamId, "护膝讲座") });
    const noticeId = lecture.body.noticeId as string;
    await delivered(noticeId, doctor, 2);
    await delivered(other.body.noticeId, doctor, 2);
    for (const r of [resident, absent]) {
      const registered = await api("POST", `/v1/notices/${noticeId}/registrations`, {
        token: r.token,
        body: { residentId: r.residentId },
      });
      expect(registered.status).toBe(201);
    }

    // Act
    const code = await api("POST", `/v1/notices/${noticeId}/check-in-token`, { token: doctor });
    const otherCode = await api("POST", `/v1/notices/${other.body.noticeId}/check-in-token`, {
      token: doctor,
    });
    const wrongLecture = await api("POST", `/v1/notices/${noticeId}/check-in`, {
      token: resident.token,
      body: { token: otherCode.body.token, residentId: resident.residentId },
    });
    const forged = await api("POST", `/v1/notices/${noticeId}/check-in`, {
      token: resident.token,
      body: {
        token: `${code.body.token.split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAA`,
        residentId: resident.residentId,
      },
    });
    const forSomeoneElse = await api("POST", `/v1/notices/${noticeId}/check-in`, {
      token: resident.token,
      body: { token: code.body.token, residentId: absent.residentId },
    });
    const checkedIn = await api("POST", `/v1/notices/${noticeId}/check-in`, {
      token: resident.token,
      body: { token: code.body.token, residentId: resident.residentId },
    });
    const again = await api("POST", `/v1/notices/${noticeId}/check-in`, {
      token: resident.token,
      body: { token: code.body.token, residentId: resident.residentId },
    });

    // Assess
    expect(code.status).toBe(200);
    expect(Date.parse(code.body.expiresAt) - Date.now()).toBeLessThanOrEqual(120_000);
    expect(Date.parse(code.body.rotatesAt)).toBeLessThan(Date.parse(code.body.expiresAt));
    expect(wrongLecture.status).toBe(409);
    expect(wrongLecture.body.error.code).toBe("CHECK_IN_INVALID");
    expect(forged.body.error.code).toBe("CHECK_IN_INVALID");
    expect(forSomeoneElse.status).toBe(403);
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body.attendedAt).toBeTruthy();
    expect(again.status).toBe(200);
    expect(again.body.attendedAt).toBe(checkedIn.body.attendedAt);
    const stats = await api("GET", `/v1/notices/${noticeId}/stats`, { token: doctor });
    expect(stats.body).toMatchObject({ registered: 2, attended: 1 });
    const contract = await api("GET", `/v1/contracts/${resident.contract.contractId}`, {
      token: resident.token,
    });
    const education = contract.body.entitlements.find((e: { type: string }) => e.type === "health_education");
    expect(education.delivered).toBe(1);
  }, 60_000);

  it("gives the code only to the lecture's team and the manager", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const other = await newTeamWithDoctor();
    await signedResident(teamId, doctor);
    const lecture = await api("POST", "/v1/notices", {
      token: doctor,
      body: lectureBody(teamId, "防跌倒讲座"),
    });
    const denied = await api("POST", `/v1/notices/${lecture.body.noticeId}/check-in-token`, {
      token: other.doctor,
    });
    expect([403, 404]).toContain(denied.status);
    const manager = await api("POST", `/v1/notices/${lecture.body.noticeId}/check-in-token`, {
      token: other.manager,
    });
    expect(manager.status).toBe(200);
  });
});

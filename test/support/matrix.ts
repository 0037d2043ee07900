import { PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { keys } from "../../functions/data/keys.js";
import { DEFAULT_SURVEY_ID } from "../../functions/domain/surveys.js";
import { localClient } from "../../infra/local/dynamodb-local.js";
import { addDays, todayInChina } from "../../shared/dates.js";
import { type ApiResponse, api, devLogin, idNumberFor, newResident, stack, uniqueOpenid } from "./api.js";
import { publish, soonWindow } from "./appointments.js";
import { applyBody, newTeamWithDoctor } from "./contracts.js";
import { noticeBody, published as publishedStats } from "./notices.js";

/**
 * Fixtures and throw-away factories for the authorisation matrix (test/authz-matrix.test.ts): one
 * small world built once (two teams of the demo centre, a second centre with its own manager,
 * residents, slots, bookings, notices, lectures, survey invitations), plus per-case copies for the
 * rows whose writes would otherwise use up or destroy what later rows need.
 */
export const ACTORS = [
  "anonymous",
  "residentA",
  "residentB",
  "repOfF",
  "repOnlyR",
  "doctorTeam1",
  "doctorTeam2",
  "managerDemo",
  "managerOther",
  "district",
] as const;
export type ActorId = (typeof ACTORS)[number];
export type SignedInActor = Exclude<ActorId, "anonymous">;

export const ACTOR_LABELS: Record<ActorId, string> = {
  anonymous: "anon",
  residentA: "resA",
  residentB: "resB",
  repOfF: "A→F",
  repOnlyR: "R→P",
  doctorTeam1: "doc1",
  doctorTeam2: "doc2",
  managerDemo: "mgrC",
  managerOther: "mgrX",
  district: "dist",
};

/**
 * Whose objects a row is tried against. Everyone is tried against resident A's objects except the
 * two representatives: A's account acting for its family member F, and R (only a representative,
 * not signed) acting for P. F and P are both signed with team 1, as A is.
 */
export type SubjectKey = "A" | "F" | "P";
export const subjectOf = (actor: ActorId): SubjectKey =>
  actor === "repOfF" ? "F" : actor === "repOnlyR" ? "P" : "A";

export interface Subject {
  key: SubjectKey;
  /** The account that acts for the resident (A's own account for A and F, R's for P). */
  token: string;
  residentId: string;
  contractId: string;
  appointmentId: string;
  invitationId: string;
}

export interface Team {
  teamId: string;
  doctor: string;
}

export interface Fixtures {
  run: string;
  otherCentreId: string;
  team1: Team;
  team2: Team;
  tokens: Record<SignedInActor, string>;
  subjects: Record<SubjectKey, Subject>;
  slots: {
    /** Tomorrow 08:00, capacity 50: the fixtures' bookings and the cancellation copies. */
    tomorrow: string;
    /** The day after, capacity 50: what bookAppointment books. */
    book: string;
    /** Capacity 1, already full: what joinWaitlist joins. */
    full: string;
    /** 10–15 minutes from now, capacity 50: visits staff may check in now. */
    soon: string;
    /** Unbooked capacity-1 slots, one per case that closes a slot or needs a waitlist offer. */
    pool: string[];
  };
  notices: { notice: string; lectureRegister: string; lectureCancel: string; lectureAttend: string };
  dates: { tomorrow: string; scheduleDay: string; month: string };
}

// ---------------------------------------------------------------------------------------------
// HTTP with the local gateway's route throttling taken into account (429 → wait, try again).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function call(
  method: string,
  path: string,
  options: Parameters<typeof api>[2] = {},
): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await api(method, path, options);
    if (res.status !== 429 || attempt >= 15) return res;
    await sleep(1_100);
  }
}

async function must(status: number, what: string, pending: Promise<ApiResponse>) {
  const res = await pending;
  if (res.status !== status)
    throw new Error(`matrix setup: ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  // biome-ignore lint/suspicious/noExplicitAny: setup reads arbitrary JSON bodies
  return res.body as any;
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await (tasks[i] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const ddb = () => localClient(stack().dynamoEndpoint);

async function apply(token: string, residentId: string, teamId: string): Promise<string> {
  const applied = await must(
    201,
    "apply",
    call("POST", "/v1/contracts", { token, body: applyBody(residentId, teamId) }),
  );
  return applied.contractId as string;
}

async function approve(team: Team, contractId: string) {
  await must(200, "approve", call("POST", `/v1/contracts/${contractId}/approve`, { token: team.doctor }));
}

async function signed(team: Team, token: string, residentId: string): Promise<string> {
  const contractId = await apply(token, residentId, team.teamId);
  await approve(team, contractId);
  return contractId;
}

export const familyMemberBody = () => ({
  name: "王奶奶",
  idType: "resident_id_card",
  idNumber: idNumberFor("1948-03-03"),
  relation: "parent",
});

async function familyMember(token: string): Promise<string> {
  const member = await must(
    201,
    "addFamilyMember",
    call("POST", "/v1/me/family", { token, body: familyMemberBody() }),
  );
  return member.residentId as string;
}

async function book(token: string, slotId: string, residentId: string): Promise<string> {
  const booked = await must(
    201,
    "book",
    call("POST", "/v1/appointments", { token, body: { slotId, residentId } }),
  );
  return booked.appointmentId as string;
}

/** A centre nobody else uses, straight into the table (no centre list entry, so lists stay as they are). */
async function seedCentre(centreId: string) {
  await ddb().send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.centre(centreId),
        type: "Centre",
        centreId,
        name: "矩阵测试中心",
        neighbourhoods: [],
      }),
    }),
  );
}

/** A fresh account made manager of `centreId` directly in the table, then logged in again. */
async function managerOf(centreId: string): Promise<string> {
  const openid = uniqueOpenid("mx-mgr");
  const login = await must(200, "dev login", call("POST", "/v1/auth/dev-login", { body: { openid } }));
  await ddb().send(
    new UpdateItemCommand({
      TableName: stack().tableName,
      Key: marshall({ pk: `USER#${login.user.id}`, sk: "USER" }),
      UpdateExpression: "SET #roles = :roles, centreId = :c",
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: marshall({ ":roles": ["manager"], ":c": centreId }),
    }),
  );
  return devLogin(openid);
}

/** A staff account through a real invitation of the demo centre's manager: its token and user id. */
async function staffThroughInvitation(managerDemo: string, body: { role: string; teamId?: string }) {
  const invitation = await must(
    201,
    "invitation",
    call("POST", "/v1/centres/c_demo/invitations", { token: managerDemo, body }),
  );
  const token = await devLogin(uniqueOpenid("mx-staff"));
  const claimed = await must(
    200,
    "claim",
    call("POST", "/v1/invitations/claim", { token, body: { code: invitation.code, name: "矩阵医生" } }),
  );
  return { token: claimed.token as string, userId: claimed.user.id as string };
}

/**
 * A pending survey invitation written the way the stats projector writes one (the local stack does
 * not run the table's stream, and the projector is not what this test is about).
 */
async function seedSurveyInvitation(run: string, subject: Omit<Subject, "invitationId">, teamId: string) {
  const invitationId = `inv_mx_${run}_${subject.key}`;
  const createdAt = new Date().toISOString();
  const expiresAtIso = new Date(Date.now() + 14 * 86_400_000).toISOString();
  await ddb().send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall(
        {
          ...keys.surveyInvitation(invitationId),
          ...keys.pendingSurveyOfResident(subject.residentId, createdAt, invitationId),
          type: "SurveyInvitation",
          invitationId,
          surveyId: DEFAULT_SURVEY_ID,
          centreId: "c_demo",
          residentId: subject.residentId,
          occasion: `appointment#${subject.appointmentId}`,
          about: { appointmentId: subject.appointmentId, teamId, serviceType: "consultation" },
          status: "pending",
          createdAt,
          expiresAtIso,
          expiresAt: Math.floor(Date.parse(expiresAtIso) / 1000) + 90 * 86_400,
        },
        { removeUndefinedValues: true },
      ),
    }),
  );
  return invitationId;
}

/**
 * A low-score response of the demo centre (team 1) whose resident consented to be contacted, written
 * as submitSurveyResponse writes one; with `assigneeId`, its follow-up is already assigned to them.
 */
export async function seedLowScore(residentId: string, teamId: string, assigneeId?: string) {
  const responseId = `inv_mxlow_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const submittedAt = new Date().toISOString();
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  await ddb().send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.surveyResponse(responseId),
        type: "SurveyResponse",
        invitationId: responseId,
        surveyId: DEFAULT_SURVEY_ID,
        centreId: "c_demo",
        residentId,
        month,
        about: { teamId },
        answers: [{ questionId: "overall", value: 1 }],
        ratings: [{ questionId: "overall", dimension: "overall", value: 1 }],
        comments: [],
        low: true,
        contactConsent: true,
        submittedAt,
      }),
    }),
  );
  if (assigneeId) {
    await ddb().send(
      new PutItemCommand({
        TableName: stack().tableName,
        Item: marshall({
          ...keys.followUp(responseId),
          ...keys.followUpOfAssignee(assigneeId, "open", submittedAt, responseId),
          type: "FollowUp",
          responseId,
          centreId: "c_demo",
          teamId,
          assigneeId,
          assignedBy: assigneeId,
          assignedAt: submittedAt,
          status: "assigned",
          outcome: null,
          issue: null,
          action: null,
          note: null,
          closedAt: null,
          closedBy: null,
          responseMonth: month,
        }),
      }),
    );
  }
  return responseId;
}

const startsAt = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();
function slotAt(slots: { slotId: string; startsAt: string }[], iso: string): string {
  const found = slots.find((s) => new Date(s.startsAt).toISOString() === iso);
  if (!found) throw new Error(`matrix setup: no slot at ${iso}`);
  return found.slotId;
}

// ---------------------------------------------------------------------------------------------
// The shared world

export async function buildFixtures(): Promise<Fixtures> {
  const run = Date.now().toString(36);
  const otherCentreId = `c_mx_${run}`;
  await seedCentre(otherCentreId);
  const [t1, t2, managerDemo, managerOther] = await Promise.all([
    newTeamWithDoctor(),
    newTeamWithDoctor(),
    devLogin("demo-manager"),
    managerOf(otherCentreId),
  ]);
  const team1 = { teamId: t1.teamId, doctor: t1.doctor };
  const team2 = { teamId: t2.teamId, doctor: t2.doctor };

  // A (with family member F) and B are signed residents; R only represents P.
  const [a, b, r, filler] = await Promise.all([newResident(), newResident(), newResident(), newResident()]);
  const [fId, pId] = await Promise.all([familyMember(a.token), familyMember(r.token)]);
  const [aContract, , fContract, pContract] = await Promise.all([
    signed(team1, a.token, a.residentId),
    signed(team2, b.token, b.residentId),
    signed(team1, a.token, fId),
    signed(team1, r.token, pId),
    signed(team1, filler.token, filler.residentId),
  ]);

  const today = todayInChina();
  const tomorrow = addDays(today, 1);
  const soon = soonWindow();
  const day = (n: number) => addDays(today, n);
  const [tomorrowSlots, bookSlots, fullSlots, poolSlots, soonSlots] = await Promise.all([
    publish(team1.teamId, team1.doctor, { date: tomorrow, capacity: 50 }),
    publish(team1.teamId, team1.doctor, { date: day(2), capacity: 50 }),
    publish(team1.teamId, team1.doctor, { date: day(3), capacity: 1 }),
    publish(team1.teamId, team1.doctor, {
      date: day(4),
      startTime: "08:00",
      endTime: "18:00",
      slotMinutes: 15,
      capacity: 1,
    }),
    publish(team1.teamId, team1.doctor, {
      date: soon.date,
      startTime: soon.startTime,
      endTime: soon.endTime,
      slotMinutes: 15,
      capacity: 50,
    }),
  ]);
  const slots = {
    tomorrow: slotAt(tomorrowSlots, startsAt(tomorrow, "08:00")),
    book: slotAt(bookSlots, startsAt(day(2), "08:00")),
    full: slotAt(fullSlots, startsAt(day(3), "08:00")),
    soon: slotAt(soonSlots, soon.start.toISOString()),
    pool: poolSlots.map((s) => s.slotId),
  };
  const [aAppt, fAppt, pAppt] = await Promise.all([
    book(a.token, slots.tomorrow, a.residentId),
    book(a.token, slots.tomorrow, fId),
    book(r.token, slots.tomorrow, pId),
    book(filler.token, slots.full, filler.residentId),
  ]);

  // A notice and three lectures to team 1 (so to A, F, P and the filler), delivered before use.
  const lecture = {
    venue: "中心三楼多功能厅",
    startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    capacity: 100,
  };
  const audience = { scope: "team", teamId: team1.teamId };
  const published = await Promise.all(
    [
      noticeBody(audience),
      noticeBody(audience, { kind: "lecture", title: "高血压讲座（报名）", lecture }),
      noticeBody(audience, { kind: "lecture", title: "高血压讲座（取消）", lecture }),
      noticeBody(audience, { kind: "lecture", title: "高血压讲座（签到）", lecture }),
    ].map((body) => must(201, "publish", call("POST", "/v1/notices", { token: team1.doctor, body }))),
  );
  // Publishing is asynchronous: wait until each fan-out has finished (every page delivered).
  await Promise.all(published.map((p) => publishedStats(p.noticeId, team1.doctor, 30_000)));
  const [notice, lectureRegister, lectureCancel, lectureAttend] = published.map(
    (p) => p.noticeId as string,
  ) as [string, string, string, string];
  const registrations: [string, string][] = [
    [a.token, a.residentId],
    [a.token, fId],
    [r.token, pId],
  ];
  await Promise.all(
    [lectureCancel, lectureAttend].flatMap((noticeId) =>
      registrations.map(([token, residentId]) =>
        must(
          201,
          "register",
          call("POST", `/v1/notices/${noticeId}/registrations`, { token, body: { residentId } }),
        ),
      ),
    ),
  );

  const bare: Record<SubjectKey, Omit<Subject, "invitationId">> = {
    A: { key: "A", token: a.token, residentId: a.residentId, contractId: aContract, appointmentId: aAppt },
    F: { key: "F", token: a.token, residentId: fId, contractId: fContract, appointmentId: fAppt },
    P: { key: "P", token: r.token, residentId: pId, contractId: pContract, appointmentId: pAppt },
  };
  const subjects = {} as Record<SubjectKey, Subject>;
  for (const key of ["A", "F", "P"] as const) {
    subjects[key] = { ...bare[key], invitationId: await seedSurveyInvitation(run, bare[key], team1.teamId) };
  }

  return {
    run,
    otherCentreId,
    team1,
    team2,
    tokens: {
      residentA: a.token,
      residentB: b.token,
      repOfF: a.token,
      repOnlyR: r.token,
      doctorTeam1: team1.doctor,
      doctorTeam2: team2.doctor,
      managerDemo,
      managerOther,
      // The demo district (东城区, over the demo centre): read-only everywhere.
      district: await devLogin("demo-district"),
    },
    subjects,
    slots,
    notices: { notice, lectureRegister, lectureCancel, lectureAttend },
    dates: { tomorrow, scheduleDay: day(5), month: today.slice(0, 7) },
  };
}

// ---------------------------------------------------------------------------------------------
// Throw-away copies, made per case

export interface Fresh {
  token: string;
  residentId: string;
  contractId?: string;
}

export type Factories = ReturnType<typeof factories>;

export function factories(fx: Fixtures) {
  let poolIndex = 0;
  const poolSlot = () => {
    const slotId = fx.slots.pool[poolIndex++];
    if (!slotId) throw new Error("matrix setup: slot pool used up; publish a longer day");
    return slotId;
  };

  /**
   * A new resident playing the actor's subject: for A's representative an account (itself signed)
   * with a family member; for R an unsigned account with a family member; else a resident of its
   * own. `contract` says what the resident holds with team 1.
   */
  async function subject(actor: ActorId, contract: "none" | "pending" | "active"): Promise<Fresh> {
    const owner = await newResident();
    let residentId = owner.residentId;
    if (actor === "repOfF" || actor === "repOnlyR") {
      if (actor === "repOfF") await signed(fx.team1, owner.token, owner.residentId);
      residentId = await familyMember(owner.token);
    }
    if (contract === "none") return { token: owner.token, residentId };
    const contractId = await apply(owner.token, residentId, fx.team1.teamId);
    if (contract === "active") await approve(fx.team1, contractId);
    return { token: owner.token, residentId, contractId };
  }

  /** A new account of the same kind as the actor, for rows that change the caller's own account. */
  async function clone(actor: ActorId): Promise<string | undefined> {
    switch (actor) {
      case "anonymous":
        return undefined;
      case "residentA":
      case "repOfF":
      case "repOnlyR":
        return (await subject(actor, "active")).token;
      case "residentB": {
        const resident = await newResident();
        await signed(fx.team2, resident.token, resident.residentId);
        return resident.token;
      }
      case "doctorTeam1":
        return (
          await staffThroughInvitation(fx.tokens.managerDemo, { role: "doctor", teamId: fx.team1.teamId })
        ).token;
      case "doctorTeam2":
        return (
          await staffThroughInvitation(fx.tokens.managerDemo, { role: "doctor", teamId: fx.team2.teamId })
        ).token;
      case "managerDemo":
        return (await staffThroughInvitation(fx.tokens.managerDemo, { role: "manager" })).token;
      case "managerOther":
        return managerOf(fx.otherCentreId);
      case "district":
        return devLogin("demo-district");
    }
  }

  /** A running contract whose termination the *other* side than `actor` has asked for. */
  async function terminating(actor: ActorId): Promise<Fresh> {
    const s = await subject(actor, "active");
    const byResident = actor === "doctorTeam1";
    await must(
      200,
      "requestTermination",
      call("POST", `/v1/contracts/${s.contractId}/termination`, {
        token: byResident ? s.token : fx.team1.doctor,
        body: { reason: byResident ? "moved_out" : "other", note: "矩阵测试" },
      }),
    );
    return s;
  }

  /**
   * A switch to team 1, approved and waiting for the old term's end: the subject signed with team 2
   * and asked to move. `contractId` is the scheduled (team 1) contract.
   */
  async function scheduledSwitch(actor: ActorId): Promise<Fresh> {
    const s = await subject(actor, "none");
    const from = await signed(fx.team2, s.token, s.residentId);
    const next = await must(
      201,
      "apply switch",
      call("POST", "/v1/contracts", {
        token: s.token,
        body: { ...applyBody(s.residentId, fx.team1.teamId), switchFromContractId: from },
      }),
    );
    await approve(fx.team1, next.contractId as string);
    return { ...s, contractId: next.contractId as string };
  }

  /** A booked visit of a fresh subject: tomorrow (cancellable by the resident) or in a few minutes. */
  async function booked(actor: ActorId, when: "tomorrow" | "soon") {
    const s = await subject(actor, "active");
    const appointmentId = await book(
      s.token,
      when === "soon" ? fx.slots.soon : fx.slots.tomorrow,
      s.residentId,
    );
    return { ...s, appointmentId };
  }

  /** An open waitlist offer for a fresh subject: a filler books a capacity-1 slot, the subject waits, the filler cancels. */
  async function offer(actor: ActorId): Promise<Fresh & { offerId: string }> {
    const slotId = poolSlot();
    const [filler, s] = await Promise.all([subject("residentA", "active"), subject(actor, "active")]);
    const fillerBooking = await book(filler.token, slotId, filler.residentId);
    await must(
      201,
      "joinWaitlist",
      call("POST", `/v1/slots/${slotId}/waitlist`, { token: s.token, body: { residentId: s.residentId } }),
    );
    await must(
      200,
      "cancel",
      call("POST", `/v1/appointments/${fillerBooking}/cancel`, {
        token: filler.token,
        body: { reason: "有事" },
      }),
    );
    const offers = await must(200, "offers", call("GET", "/v1/me/waitlist-offers", { token: s.token }));
    const open = offers.items.find(
      (o: { slotId: string; residentId: string; status: string }) =>
        o.slotId === slotId && o.residentId === s.residentId && o.status === "open",
    );
    if (!open) throw new Error(`matrix setup: no offer for ${s.residentId}: ${JSON.stringify(offers.items)}`);
    return { ...s, offerId: open.offerId as string };
  }

  async function invitationCode(): Promise<string> {
    const invitation = await must(
      201,
      "invitation",
      call("POST", "/v1/centres/c_demo/invitations", {
        token: fx.tokens.managerDemo,
        body: { role: "nurse", teamId: fx.team1.teamId },
      }),
    );
    return invitation.code as string;
  }

  /** A throw-away nurse of team 2, for the rows that change or remove a member: their user id. */
  async function staffMember(): Promise<string> {
    return (await staffThroughInvitation(fx.tokens.managerDemo, { role: "nurse", teamId: fx.team2.teamId }))
      .userId;
  }

  return {
    subject,
    clone,
    terminating,
    scheduledSwitch,
    booked,
    offer,
    poolSlot,
    invitationCode,
    staffMember,
  };
}

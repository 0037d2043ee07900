import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteDef } from "../functions/lib/route.js";
import { type OperationId, routes } from "../functions/routes.js";
import { idNumberFor, randomPhone, uniqueOpenid, wechatCode } from "./support/api.js";
import {
  ACTOR_LABELS,
  ACTORS,
  type ActorId,
  buildFixtures,
  call,
  type Factories,
  type Fixtures,
  factories,
  familyMemberBody,
  pool,
  type Subject,
  seedLowScore,
  subjectOf,
} from "./support/matrix.js";
import { noticeBody } from "./support/notices.js";

/**
 * The authorisation matrix (issue 8, "Hardening that must hold"): every row of the route table ×
 * every kind of caller, with the expected allow/deny. "Allow" is any answer but 401/403/404 (a 409
 * because the state already moved is an allowed caller); "deny" is 401 for the anonymous caller
 * and 403 or 404 for everyone else. A new route without a row here fails the run (and tsc).
 *
 * Each case is tried against the objects of the caller's subject: resident A's for everyone but
 * A's account acting for its family member F, and R (only a representative) acting for P. Rows
 * that change state use throw-away copies made per case; rows that change the caller's own account
 * run as a throw-away account of the same kind.
 */

interface Req {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Replaces the actor's token (a throw-away account of the same kind); `undefined` keeps it. */
  token?: string;
}

interface Ctx {
  fx: Fixtures;
  actor: ActorId;
  /** The caller's subject (A, F or P) in the shared fixtures. */
  s: Subject;
  fresh: Factories;
  /**
   * The token to use against a throw-away subject: its own account for the resident-side actors
   * (the copy plays A, A-for-F or R-for-P), the actor's usual token for everyone else.
   */
  via: (copy: { token: string }) => string | undefined;
}

interface Entry {
  allow: "everyone" | readonly ActorId[];
  request?: (c: Ctx) => Req | Promise<Req>;
}

const USERS = ACTORS.filter((a) => a !== "anonymous");
const RESIDENT_SIDE = ["residentA", "repOfF", "repOnlyR"] as const;
const TEAM1 = ["doctorTeam1"] as const;
const MANAGER = ["managerDemo"] as const;
const TEAM1_AND_MANAGER = [...TEAM1, ...MANAGER] as const;
/** The resident's side, the contract's team, the centre's manager. */
const CONTRACT_READERS = [...RESIDENT_SIDE, ...TEAM1, ...MANAGER] as const;
/** Staff and managers of the demo centre (both teams belong to it). */
const CENTRE_STAFF = ["doctorTeam1", "doctorTeam2", "managerDemo"] as const;

const centre = { params: { centreId: "c_demo" } };
/** A request on a throw-away subject's contract, made by the actor (or by the copy's own account). */
const onContract = (c: Ctx, copy: { token: string; contractId?: string }): Req => ({
  token: c.via(copy),
  params: { contractId: copy.contractId as string },
});
const team1 = ({ fx }: Ctx) => ({ params: { teamId: fx.team1.teamId } });

/** An open home-visit request of a throw-away subject signed with team 1, one per row. */
const homeVisitRequests = new Map<string, Promise<string>>();
function rowHomeVisitRequest(c: Ctx, row: string): Promise<string> {
  let found = homeVisitRequests.get(row);
  if (!found) {
    found = (async () => {
      const copy = await c.fresh.subject("residentA", "active");
      const created = await call("POST", "/v1/home-visit-requests", {
        token: copy.token,
        body: { residentId: copy.residentId, reason: "行动不便", preferredDates: [] },
      });
      if (created.status !== 201) throw new Error(`home-visit request: ${JSON.stringify(created.body)}`);
      return (created.body as { requestId: string }).requestId;
    })();
    homeVisitRequests.set(row, found);
  }
  return found;
}

const profileBody = () => ({
  name: "矩阵居民",
  idType: "resident_id_card",
  idNumber: idNumberFor("1979-09-09"),
  phone: randomPhone(),
  neighbourhoodId: "n_demo_1",
  address: "和平里一区 5 号楼 1 单元 101",
  consents: { privacyPolicyVersion: "2026-01", healthData: true },
});

const MATRIX: Record<OperationId, Entry> = {
  // platform and login: public
  health: { allow: "everyone" },
  getConfig: { allow: "everyone" },
  getOpenApi: { allow: "everyone" },
  wechatLogin: {
    allow: "everyone",
    request: async () => ({ body: { code: await wechatCode(uniqueOpenid("mx-wx")) } }),
  },
  devLogin: { allow: "everyone", request: () => ({ body: { openid: uniqueOpenid("mx-dev") } }) },

  // identity: the caller's own account (writes run as a throw-away account of the same kind)
  getMe: { allow: USERS },
  exportMyData: { allow: USERS },
  updateMyProfile: {
    allow: USERS,
    request: async ({ fresh, actor }) => ({ token: await fresh.clone(actor), body: profileBody() }),
  },
  addFamilyMember: {
    allow: USERS,
    request: async ({ fresh, actor }) => ({ token: await fresh.clone(actor), body: familyMemberBody() }),
  },
  // Only an account acting for a family member; the account holder's own record is not one (404).
  updateFamilyMember: {
    allow: ["repOfF", "repOnlyR"],
    request: async (c) => {
      const s = await c.fresh.subject(c.actor, "none");
      return {
        token: c.via(s),
        params: { residentId: s.residentId },
        body: { name: "矩阵家人", relation: "parent" },
      };
    },
  },
  removeFamilyMember: {
    allow: ["repOfF", "repOnlyR"],
    request: async (c) => {
      const s = await c.fresh.subject(c.actor, "none");
      return { token: c.via(s), params: { residentId: s.residentId } };
    },
  },
  deleteMyAccount: {
    allow: USERS,
    request: async ({ fresh, actor }) => ({ token: await fresh.clone(actor) }),
  },
  listCentres: { allow: USERS },
  createInvitation: {
    allow: MANAGER,
    request: ({ fx }) => ({ ...centre, body: { role: "nurse", teamId: fx.team1.teamId } }),
  },
  listInvitations: { allow: MANAGER, request: () => centre },
  revokeInvitation: {
    allow: MANAGER,
    request: async ({ fresh }) => ({ params: { centreId: "c_demo", code: await fresh.invitationCode() } }),
  },
  listStaff: { allow: MANAGER, request: () => centre },
  updateStaff: {
    allow: MANAGER,
    // a throw-away nurse of team 2 (team 1's fixtures stay as they are) made its doctor as well
    request: async ({ fresh }) => ({
      params: { centreId: "c_demo", userId: await fresh.staffMember() },
      body: { roles: ["nurse", "doctor"] },
    }),
  },
  removeStaff: {
    allow: MANAGER,
    request: async ({ fresh }) => ({ params: { centreId: "c_demo", userId: await fresh.staffMember() } }),
  },
  claimInvitation: {
    allow: USERS,
    request: async ({ fresh, actor }) => ({
      token: await fresh.clone(actor),
      body: { code: await fresh.invitationCode(), name: "矩阵护士" },
    }),
  },

  // teams and packages
  listTeams: { allow: USERS, request: () => centre },
  createTeam: {
    allow: MANAGER,
    request: () => ({ ...centre, body: { name: "矩阵测试团队", capacityHouseholds: 10 } }),
  },
  updateTeamCapacity: {
    allow: MANAGER,
    request: (c) => ({ ...team1(c), body: { capacityHouseholds: 600 } }),
  },
  listPackages: { allow: USERS, request: () => centre },
  updateCentrePopulation: {
    allow: MANAGER,
    // the demo centre's own figures, so other tests' reports are unchanged
    request: () => ({ ...centre, body: { residents: 12_000, priority: 3_600 } }),
  },
  getCentreSettings: { allow: MANAGER, request: () => centre },
  // the demo centre's default, written back, so other tests see the same rules
  updateCentreSettings: { allow: MANAGER, request: () => ({ ...centre, body: { cancelDeadlineHours: 2 } }) },

  // contracts
  applyContract: {
    allow: RESIDENT_SIDE,
    request: async ({ fresh, actor, fx, via }) => {
      const s = await fresh.subject(actor, "none");
      return {
        token: via(s),
        body: {
          residentId: s.residentId,
          teamId: fx.team1.teamId,
          packageIds: [],
          agreementVersion: "2026-01",
          signature: { confirmed: true },
        },
      };
    },
  },
  getContract: { allow: CONTRACT_READERS, request: ({ s }) => ({ params: { contractId: s.contractId } }) },
  listResidentContracts: {
    allow: CONTRACT_READERS,
    request: ({ s }) => ({ params: { residentId: s.residentId } }),
  },
  listTeamContracts: { allow: TEAM1_AND_MANAGER, request: team1 },
  approveContract: {
    allow: TEAM1,
    request: async (c) => onContract(c, await c.fresh.subject(c.actor, "pending")),
  },
  rejectContract: {
    allow: TEAM1,
    request: async (c) => ({
      ...onContract(c, await c.fresh.subject(c.actor, "pending")),
      body: { reason: "不在服务范围" },
    }),
  },
  withdrawContract: {
    allow: RESIDENT_SIDE,
    request: async (c) => onContract(c, await c.fresh.subject(c.actor, "pending")),
  },
  // The resident's side or the new team (team 1); the old team and the manager may not.
  cancelSwitch: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: async (c) => onContract(c, await c.fresh.scheduledSwitch(c.actor)),
  },
  requestTermination: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: async (c) => ({
      ...onContract(c, await c.fresh.subject(c.actor, "active")),
      body: { reason: "other", note: "矩阵测试" },
    }),
  },
  // Set up so the actor is the other side than the one who asked (the team for doctors, else the resident).
  confirmTermination: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: async (c) => onContract(c, await c.fresh.terminating(c.actor)),
  },
  recordService: {
    allow: TEAM1,
    request: ({ s }) => ({
      params: { contractId: s.contractId },
      body: { type: "consultation", deliveredAt: new Date().toISOString(), place: "社区卫生服务中心" },
    }),
  },
  listContractServices: {
    allow: CONTRACT_READERS,
    request: ({ s }) => ({ params: { contractId: s.contractId } }),
  },
  listContractEvents: {
    allow: CONTRACT_READERS,
    request: ({ s }) => ({ params: { contractId: s.contractId } }),
  },

  // appointments
  createSchedule: {
    allow: TEAM1,
    request: (c) => ({
      ...team1(c),
      body: {
        serviceType: "consultation",
        startDate: c.fx.dates.scheduleDay,
        endDate: c.fx.dates.scheduleDay,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        startTime: "14:00",
        endTime: "15:00",
        slotMinutes: 30,
        capacityPerSlot: 5,
      },
    }),
  },
  listSlots: { allow: USERS, request: team1 },
  closeSlot: {
    allow: TEAM1,
    request: ({ fresh }) => ({ params: { slotId: fresh.poolSlot() }, body: { reason: "医生外出" } }),
  },
  closeDay: {
    allow: TEAM1,
    // a far day with no slots: allowed callers get 200 with nothing closed, fixtures stay intact
    request: (c) => ({ params: { ...team1(c).params, date: "2099-12-31" }, body: { reason: "医生外出" } }),
  },
  bookAppointment: {
    // Team staff book for a resident signed with their team (代预约, issue 16).
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: ({ fx, s }) => ({ body: { slotId: fx.slots.book, residentId: s.residentId } }),
  },
  cancelAppointment: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: async (c) => {
      const copy = await c.fresh.booked(c.actor, "tomorrow");
      return {
        token: c.via(copy),
        params: { appointmentId: copy.appointmentId },
        body: { reason: "临时有事" },
      };
    },
  },
  updateAppointmentStatus: {
    allow: TEAM1,
    request: async (c) => {
      const copy = await c.fresh.booked(c.actor, "soon");
      return {
        token: c.via(copy),
        params: { appointmentId: copy.appointmentId },
        body: { status: "checked_in" },
      };
    },
  },
  // With ?residentId= naming the subject, so a foreign resident id is tried too.
  listMyAppointments: { allow: RESIDENT_SIDE, request: ({ s }) => ({ query: { residentId: s.residentId } }) },
  listTeamAppointments: {
    allow: TEAM1_AND_MANAGER,
    request: (c) => ({ ...team1(c), query: { date: c.fx.dates.tomorrow } }),
  },
  joinWaitlist: {
    allow: RESIDENT_SIDE,
    request: ({ fx, s }) => ({ params: { slotId: fx.slots.full }, body: { residentId: s.residentId } }),
  },
  listMyWaitlistOffers: { allow: USERS },
  acceptWaitlistOffer: {
    allow: RESIDENT_SIDE,
    request: async (c) => {
      const copy = await c.fresh.offer(c.actor);
      return { token: c.via(copy), params: { offerId: copy.offerId } };
    },
  },

  // notices and lectures
  publishNotice: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx }) => ({
      body: noticeBody({ scope: "team", teamId: fx.team1.teamId }, { title: "矩阵通知" }),
    }),
  },
  estimateNoticeAudience: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx }) => ({ body: { audience: { scope: "team", teamId: fx.team1.teamId } } }),
  },
  listCentreNotices: { allow: CENTRE_STAFF, request: () => centre },
  listMyNotices: { allow: USERS },
  // Its audience (through any family member), the publishing team, the centre's manager.
  getNotice: {
    allow: [...RESIDENT_SIDE, ...TEAM1, ...MANAGER],
    request: ({ fx }) => ({ params: { noticeId: fx.notices.notice } }),
  },
  markNoticeRead: {
    allow: RESIDENT_SIDE,
    request: ({ fx }) => ({ params: { noticeId: fx.notices.notice } }),
  },
  // One message of the subject's own inbox (a personal one where there is: the approval's).
  markInboxRead: {
    allow: RESIDENT_SIDE,
    request: async ({ s }) => {
      const inbox = await call("GET", "/v1/me/notices?limit=100", { token: s.token });
      type Listed = { residentId: string; noticeId: string | null; messageId: string; publishedAt: string };
      const mine = (inbox.body as { items: Listed[] }).items.filter((m) => m.residentId === s.residentId);
      const message = (mine.find((m) => m.noticeId === null) ?? mine[0]) as Listed;
      return {
        params: { messageId: message.messageId },
        body: { residentId: s.residentId, publishedAt: message.publishedAt },
      };
    },
  },
  registerLecture: {
    allow: RESIDENT_SIDE,
    request: ({ fx, s }) => ({
      params: { noticeId: fx.notices.lectureRegister },
      body: { residentId: s.residentId },
    }),
  },
  cancelLectureRegistration: {
    allow: RESIDENT_SIDE,
    request: ({ fx, s }) => ({ params: { noticeId: fx.notices.lectureCancel, residentId: s.residentId } }),
  },
  recordLectureAttendance: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx, s }) => ({
      params: { noticeId: fx.notices.lectureAttend },
      body: { residentId: s.residentId },
    }),
  },
  createCheckInToken: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx }) => ({ params: { noticeId: fx.notices.lectureAttend } }),
  },
  // The screen's current code (from team 1's doctor); a second check-in answers 200 as well.
  checkInLecture: {
    allow: RESIDENT_SIDE,
    request: async ({ fx, s }) => {
      const code = await call("POST", `/v1/notices/${fx.notices.lectureAttend}/check-in-token`, {
        token: fx.team1.doctor,
      });
      return {
        params: { noticeId: fx.notices.lectureAttend },
        body: { token: (code.body as { token: string }).token, residentId: s.residentId },
      };
    },
  },
  noticeStats: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx }) => ({ params: { noticeId: fx.notices.notice } }),
  },
  listLectureRegistrations: {
    allow: TEAM1_AND_MANAGER,
    request: ({ fx }) => ({ params: { noticeId: fx.notices.notice } }),
  },
  recordSubscriptions: {
    allow: USERS,
    request: async ({ fresh, actor }) => ({
      token: await fresh.clone(actor),
      body: { results: { tmpl_matrix: "accept" } },
    }),
  },
  noticeSuggestions: { allow: CENTRE_STAFF, request: () => centre },
  householdsWithoutNotice: { allow: MANAGER, request: () => ({ ...centre, query: { limit: "5" } }) },

  // surveys and reports
  createSurvey: {
    allow: MANAGER,
    request: () => ({
      ...centre,
      body: {
        title: "矩阵测试问卷",
        trigger: "manual",
        questions: [{ questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" }],
      },
    }),
  },
  listCentreSurveys: { allow: MANAGER, request: () => centre },
  // With ?residentId= naming the subject, so a foreign resident id is tried too.
  listMySurveys: { allow: RESIDENT_SIDE, request: ({ s }) => ({ query: { residentId: s.residentId } }) },
  submitSurveyResponse: {
    allow: RESIDENT_SIDE,
    request: ({ s }) => ({
      params: { invitationId: s.invitationId },
      body: {
        answers: ["professional", "attitude", "waiting", "environment", "overall"].map((questionId) => ({
          questionId,
          value: 5,
        })),
      },
    }),
  },
  satisfactionScores: { allow: MANAGER, request: () => ({ ...centre, query: { groupBy: "team" } }) },
  listLowScores: { allow: MANAGER, request: () => centre },
  // A consented low score of team 1, assigned by the demo manager to themselves.
  assignFollowUp: {
    allow: MANAGER,
    request: async ({ fx, s }) => {
      const me = await call("GET", "/v1/me", { token: fx.tokens.managerDemo });
      const assigneeId = (me.body as { user: { id: string } }).user.id;
      return {
        params: { responseId: await seedLowScore(s.residentId, fx.team1.teamId) },
        body: { assigneeId },
      };
    },
  },
  // Assigned to the demo manager: others (the rated team's doctor included) may not close it.
  resolveFollowUp: {
    allow: MANAGER,
    request: async ({ fx, s }) => {
      const me = await call("GET", "/v1/me", { token: fx.tokens.managerDemo });
      const assigneeId = (me.body as { user: { id: string } }).user.id;
      const responseId = await seedLowScore(s.residentId, fx.team1.teamId, assigneeId);
      return { params: { responseId }, body: { outcome: "resolved", note: "已电话沟通" } };
    },
  },
  // Any staff account reads its own list (no one else's can be named).
  listMyFollowUps: {
    allow: [...CENTRE_STAFF, "managerOther"],
    request: () => ({ query: { status: "open" } }),
  },
  districtMonthlyReport: {
    allow: ["district"],
    request: ({ fx }) => ({
      params: { districtId: "d_demo" },
      query: { month: fx.dates.month, format: "json" },
    }),
  },
  districtSatisfaction: {
    allow: ["district"],
    request: () => ({ params: { districtId: "d_demo" }, query: { groupBy: "centre" } }),
  },
  surveyResults: {
    allow: MANAGER,
    request: async ({ fx }) => {
      const created = await call("POST", "/v1/centres/c_demo/surveys", {
        token: fx.tokens.managerDemo,
        body: {
          title: "矩阵结果问卷",
          trigger: "manual",
          questions: [{ questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" }],
        },
      });
      return { params: { centreId: "c_demo", surveyId: (created.body as { surveyId: string }).surveyId } };
    },
  },
  monthlyReport: {
    allow: MANAGER,
    request: ({ fx }) => ({ ...centre, query: { month: fx.dates.month, format: "json" } }),
  },
  // proactive care (issue 16)
  teamWorklist: { allow: TEAM1_AND_MANAGER, request: team1 },
  revealContact: {
    allow: TEAM1,
    request: ({ s }) => ({ params: { residentId: s.residentId }, body: { purpose: "随访提醒" } }),
  },
  listContactAudit: { allow: MANAGER, request: () => ({ ...centre, query: { staffId: "u_nobody" } }) },
  residentPlan: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: ({ s }) => ({ params: { residentId: s.residentId } }),
  },
  // The shared subjects (all signed with team 1): the first resident-side call opens the request,
  // later ones answer 409 ALREADY_REQUESTED (allowed); everyone else is refused before any write.
  requestHomeVisit: {
    allow: RESIDENT_SIDE,
    request: ({ s }) => ({ body: { residentId: s.residentId, reason: "行动不便", preferredDates: [] } }),
  },
  // One request per row, of a throw-away subject: the callers other than team 1 are refused first.
  scheduleHomeVisit: {
    allow: TEAM1,
    request: async (c) => ({
      params: { requestId: await rowHomeVisitRequest(c, "schedule") },
      body: { startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), durationMinutes: 30 },
    }),
  },
  declineHomeVisit: {
    allow: TEAM1,
    request: async (c) => ({
      params: { requestId: await rowHomeVisitRequest(c, "decline") },
      body: { reason: "本周人手不足" },
    }),
  },
  listHomeVisitRequests: {
    allow: [...RESIDENT_SIDE, ...TEAM1],
    request: ({ s }) => ({ params: { residentId: s.residentId } }),
  },
};

/**
 * Cases the product gets wrong today: `${operationId}:${actor}` → what is wrong. Each runs as
 * it.fails with the expectation as it should be, so fixing the handler turns it red here.
 */
const KNOWN_BUGS: Partial<Record<string, string>> = {};

// ---------------------------------------------------------------------------------------------

type Verdict = "A" | "D";
interface Outcome {
  status: number;
  verdict?: Verdict;
  error?: string;
  code?: string;
}

const ROUTES: readonly RouteDef[] = routes;
const key = (operationId: string, actor: ActorId) => `${operationId}:${actor}`;

function expectedOf(route: RouteDef, actor: ActorId): Verdict {
  const entry = MATRIX[route.operationId as OperationId];
  if (entry.allow === "everyone") return "A";
  if (actor === "anonymous") return "D";
  // The district's account reads only: every write is refused, whatever else it may read.
  if (actor === "district" && route.method !== "GET") return "D";
  return entry.allow.includes(actor) ? "A" : "D";
}

function pathOf(route: RouteDef, params: Record<string, string> = {}, query: Record<string, string> = {}) {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.operationId}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

const results = new Map<string, Outcome>();
let fixtures: Fixtures | undefined;
const timings = { fixturesMs: 0, casesMs: 0, requests: 0 };

async function runCase(fx: Fixtures, fresh: Factories, route: RouteDef, actor: ActorId): Promise<Outcome> {
  try {
    const entry = MATRIX[route.operationId as OperationId];
    const residentSide = (RESIDENT_SIDE as readonly ActorId[]).includes(actor);
    const ctx: Ctx = {
      fx,
      actor,
      s: fx.subjects[subjectOf(actor)],
      fresh,
      via: (copy) => (residentSide ? copy.token : undefined),
    };
    const req = (await entry.request?.(ctx)) ?? {};
    const token = actor === "anonymous" ? undefined : (req.token ?? fx.tokens[actor]);
    const res = await call(route.method, pathOf(route, req.params, req.query), { token, body: req.body });
    timings.requests++;
    const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
    if (res.status >= 500) return { status: res.status, code, error: `server error ${res.status}` };
    const denied = res.status === 401 || res.status === 403 || res.status === 404;
    return { status: res.status, code, verdict: denied ? "D" : "A" };
  } catch (error) {
    return { status: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

function summary(): string {
  const width = Math.max(...ROUTES.map((r) => r.operationId.length));
  const header = `${"route".padEnd(width)}  ${ACTORS.map((a) => ACTOR_LABELS[a].padEnd(4)).join(" ")}`;
  const lines = [header, "-".repeat(header.length)];
  const wrong: string[] = [];
  for (const route of ROUTES) {
    const cells = ACTORS.map((actor) => {
      const outcome = results.get(key(route.operationId, actor));
      const expected = MATRIX[route.operationId as OperationId] ? expectedOf(route, actor) : undefined;
      const got = outcome?.verdict ?? "?";
      const ok = got === expected;
      if (!ok)
        wrong.push(
          `  ${route.operationId} × ${actor}: expected ${expected ?? "(no row)"}, got ${outcome?.status ?? "-"} ${outcome?.code ?? outcome?.error ?? ""}`,
        );
      return `${got}${ok ? " " : "!"}`.padEnd(4);
    });
    lines.push(`${route.operationId.padEnd(width)}  ${cells.join(" ")}`);
  }
  lines.push(
    "A = allowed (2xx or 4xx other than 401/403/404), D = denied (401/403/404), ! = not as expected",
    `${ROUTES.length} routes × ${ACTORS.length} actors; fixtures ${(timings.fixturesMs / 1000).toFixed(1)} s, cases ${(timings.casesMs / 1000).toFixed(1)} s`,
  );
  if (wrong.length) lines.push("Not as expected:", ...wrong);
  return lines.join("\n");
}

describe("authorisation matrix: every route × every kind of caller", () => {
  beforeAll(async () => {
    const started = Date.now();
    const fx = await buildFixtures();
    fixtures = fx;
    timings.fixturesMs = Date.now() - started;
    const fresh = factories(fx);
    const tasks = ROUTES.filter((r) => MATRIX[r.operationId as OperationId]).flatMap((route) =>
      ACTORS.map((actor) => async () => {
        results.set(key(route.operationId, actor), await runCase(fx, fresh, route, actor));
      }),
    );
    const casesStarted = Date.now();
    await pool(16, tasks);
    timings.casesMs = Date.now() - casesStarted;
  }, 300_000);

  afterAll(() => {
    if (fixtures) console.info(`[authz-matrix]\n${summary()}`);
  });

  it("has a row for every route of the table, and no row for a route that is gone", () => {
    const missing = ROUTES.map((r) => r.operationId).filter((id) => !(id in MATRIX));
    const extra = Object.keys(MATRIX).filter((id) => !ROUTES.some((r) => r.operationId === id));
    expect(missing, "routes without a matrix row: add them to MATRIX").toEqual([]);
    expect(extra).toEqual([]);
  });

  for (const route of ROUTES) {
    if (!MATRIX[route.operationId as OperationId]) continue;
    describe(`${route.operationId} (${route.method} ${route.path})`, () => {
      for (const actor of ACTORS) {
        const bug = KNOWN_BUGS[key(route.operationId, actor)];
        const test = bug ? it.fails : it;
        const expected = expectedOf(route, actor);
        test(`${actor} is ${expected === "A" ? "allowed" : "denied"}${bug ? ` (known bug: ${bug})` : ""}`, () => {
          const outcome = results.get(key(route.operationId, actor));
          expect(outcome, "case did not run").toBeDefined();
          expect(outcome?.error, `status ${outcome?.status}`).toBeUndefined();
          const got = `${outcome?.verdict} ${outcome?.status} ${outcome?.code ?? ""}`.trim();
          expect(got.slice(0, 1), got).toBe(expected);
          if (expected === "D") {
            if (actor === "anonymous") expect(outcome?.status).toBe(401);
            else expect([403, 404]).toContain(outcome?.status);
          }
        });
      }
      // A guard on the matrix itself: the row's request is valid, so some allowed caller succeeds.
      it("succeeds (2xx) for at least one allowed caller", () => {
        const allowed = ACTORS.filter((a) => expectedOf(route, a) === "A");
        const statuses = allowed.map((a) => results.get(key(route.operationId, a))?.status ?? 0);
        expect(
          statuses.some((s) => s >= 200 && s < 300),
          `statuses ${statuses.join(",")}`,
        ).toBe(true);
      });
    });
  }
});

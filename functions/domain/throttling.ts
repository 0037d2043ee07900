/**
 * How much traffic the API takes, in one place: the stage and route throttles of API Gateway (read
 * by the route rows, the CDK stack and the local gateway) and the per-account limits the handlers
 * keep in DynamoDB. The README's "Throttling" section explains the same numbers; a stack test checks
 * that the template carries exactly these.
 *
 * API Gateway's stage and route throttles are shared by every caller of the platform, so they are
 * sized for the busiest moment we plan for, not for one user: a district of 10 centres opening a
 * month of appointment slots at 08:00 (e.g. the quarterly free check-ups for residents 60+).
 */

/** The stated peak. Numbers marked DOMAIN come from the handbook; the others are assumptions. */
export const PEAK = {
  centres: 10,
  /** Assumption: a centre runs about 10 family-doctor teams (practice reports: 8–15). */
  teamsPerCentre: 10,
  /** DOMAIN: a team is responsible for about 600 households (default capacity; max 800). */
  householdsPerTeam: 600,
  /**
   * Assumption: the 2020 census average household size, 2.62, rounded. It sizes nothing below: one
   * WeChat account per household (the family representative) books for all its members.
   */
  residentsPerHousehold: 2.6,
  /** Assumption: a fifth of the signed households try to book when the slots open. */
  shareTryingAtOpening: 0.2,
  /** Assumption: … and they arrive within the first two minutes after 08:00. */
  openingSeconds: 120,
  /** Assumption: the busiest second (08:00:00, everyone tapping at once) carries 3× the two-minute mean. */
  peakSecondFactor: 3,
  /**
   * Assumption: the requests one household makes while booking at the opening, by operation: a silent
   * login, the app's start-up reads, three slot lists (before 08:00, at 08:00, after a full slot) and
   * two booking attempts (1.3 members on average, plus a retry on a slot that filled meanwhile).
   */
  requestsPerHousehold: {
    wechatLogin: 1,
    getConfig: 1,
    getMe: 1,
    listSlots: 3,
    bookAppointment: 2,
    listMyAppointments: 1,
    listMyNotices: 1,
  },
  /**
   * Assumption: every team and every centre manager publishes a notice in the same minute (a sudden
   * public-health event announced district-wide), all of them possibly at the same instant.
   */
  publishersAtOnce: 10 * (10 + 1),
  publishWindowSeconds: 60,
  /** Margin over the stated peak, for a somewhat larger district or a sharper spike than assumed. */
  headroom: 1.5,
} as const;

/**
 * AWS's default account-level quota for API Gateway in a region (shared by all APIs of the account):
 * no stage or route limit above it has any effect. Check Service Quotas in the target region (China
 * regions included) before a bigger rollout.
 */
export const ACCOUNT_QUOTA = { rate: 10_000, burst: 5_000 } as const;

// ---------------------------------------------------------------------------------------------
// The arithmetic (every figure in the README's table comes from here)

export const HOUSEHOLDS = PEAK.centres * PEAK.teamsPerCentre * PEAK.householdsPerTeam; // 60,000
export const RESIDENTS = Math.round(HOUSEHOLDS * PEAK.residentsPerHousehold); // 156,000
export const HOUSEHOLDS_TRYING = HOUSEHOLDS * PEAK.shareTryingAtOpening; // 12,000
/** Households starting in the busiest second: 12,000 / 120 s × 3 = 300. */
export const PEAK_HOUSEHOLDS_PER_SECOND = (HOUSEHOLDS_TRYING / PEAK.openingSeconds) * PEAK.peakSecondFactor;

const REQUESTS_PER_HOUSEHOLD = Object.values(PEAK.requestsPerHousehold).reduce((a, b) => a + b, 0); // 10

/** Requests per second in the busiest second, over the whole platform and per operation. */
export const PEAK_RPS = {
  /** 300 × 10 = 3,000 */
  all: PEAK_HOUSEHOLDS_PER_SECOND * REQUESTS_PER_HOUSEHOLD,
  /** 300 × 2 = 600 */
  bookAppointment: PEAK_HOUSEHOLDS_PER_SECOND * PEAK.requestsPerHousehold.bookAppointment,
  /** 300 × 3 = 900: the busiest route left to the stage default. */
  listSlots: PEAK_HOUSEHOLDS_PER_SECOND * PEAK.requestsPerHousehold.listSlots,
  /** 110 / 60 s × 3 = 5.5 */
  publishNotice: (PEAK.publishersAtOnce / PEAK.publishWindowSeconds) * PEAK.peakSecondFactor,
} as const;

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

/** An API Gateway throttle: steady requests per second (token refill) and burst (bucket size). */
export interface Throttle {
  rate: number;
  burst: number;
}

/**
 * The stage default: the whole platform's peak with headroom (3,000 × 1.5 = 4,500), rate and burst
 * alike, so even the whole busiest second arriving at one instant passes. API Gateway applies the
 * stage default to each route that has no setting of its own (the account quota caps their sum);
 * sized for the whole platform, it is right under either reading and stays under ACCOUNT_QUOTA.
 */
export const STAGE_THROTTLE: Throttle = {
  rate: roundUp(PEAK_RPS.all * PEAK.headroom, 50),
  burst: roundUp(PEAK_RPS.all * PEAK.headroom, 50),
};

/**
 * Routes limited more tightly than the stage, because each call costs more than a read: shared by
 * every caller of the route on AWS, so sized for the platform's peak, never for one account.
 */
export const ROUTE_THROTTLES = {
  /** 600 × 1.5 = 900 a second, burst 900. */
  bookAppointment: {
    rate: roundUp(PEAK_RPS.bookAppointment * PEAK.headroom, 50),
    burst: roundUp(PEAK_RPS.bookAppointment * PEAK.headroom, 50),
  },
  /** 5.5 × 1.5 → 9 a second; burst: all 110 publishers at once, with headroom → 165. */
  publishNotice: {
    rate: Math.ceil(PEAK_RPS.publishNotice * PEAK.headroom),
    burst: Math.ceil(PEAK.publishersAtOnce * PEAK.headroom),
  },
} as const satisfies Record<string, Throttle>;

// ---------------------------------------------------------------------------------------------
// Per-account limits (kept in DynamoDB, see functions/lib/account-limit.ts)

/**
 * What one caller may do per minute, counted across every Lambda instance. Routes with auth
 * "public" count per source address (there is no account yet); all others per account. A group is
 * shared by the routes that name it. Each figure is several times what a person does by hand.
 */
export const ACCOUNT_LIMITS = {
  /**
   * Logins per source address. Mobile carriers put many phones behind one address (CGNAT), and a
   * centre's Wi-Fi puts its waiting room behind one: at the peak 300 logins a second reach the
   * platform, so an address gets a generous 300 a minute. It stops one host from spending the
   * platform's WeChat code2session quota; logins happen once per 2-hour session.
   */
  login: { group: "login", perMinute: 300 },
  /**
   * devLogin (local only, never deployed) stands in for wechatLogin in tests and demos, which create
   * thousands of accounts from the one loopback address: counted the same way, with room for that.
   */
  devLogin: { group: "dev-login", perMinute: 6_000 },
  /**
   * Taking a place: booking, joining a waitlist, accepting an offer. A household books for 1–5
   * members and retries when a slot fills; 30 a minute is ten times a hurried person at 08:00 and
   * keeps a script at one attempt every two seconds per account.
   */
  booking: { group: "booking", perMinute: 30 },
  /** Publishing notices: staff publish a few a day. */
  publishing: { group: "publishing", perMinute: 10 },
  /** Survey answers: one per invitation, a resident holds a few. */
  survey: { group: "survey", perMinute: 20 },
  /** Profile and family changes: a form submitted again after a correction, family members added. */
  profile: { group: "profile", perMinute: 20 },
} as const satisfies Record<string, { group: string; perMinute: number }>;

/** Per-account limits count in fixed windows of this length (one DynamoDB item per window). */
export const LIMIT_WINDOW_SECONDS = 60;

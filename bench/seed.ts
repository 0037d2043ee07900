/**
 * Direct seeding into DynamoDB Local (BatchWrite, 25 items a call), in the item shapes of
 * functions/data/keys.ts, identity-repo.ts and contracts-repo.ts — as test/notices.test.ts does for
 * its 5,000 contracts. Tokens for seeded accounts are minted with the app's own issueSession.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { keys } from "../functions/data/keys.js";
import { pool } from "./util.js";

type Item = Record<string, unknown>;

export async function batchPut(
  client: DynamoDBClient,
  tableName: string,
  items: Item[],
  options: { concurrency?: number; deadline?: number } = {},
): Promise<number> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let written = 0;
  await pool(
    chunks,
    options.concurrency ?? 6,
    async (chunk) => {
      let pending = chunk.map((item) => ({
        PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
      }));
      for (let attempt = 0; pending.length && attempt < 10; attempt++) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
        const left = out.UnprocessedItems?.[tableName] ?? [];
        written += pending.length - left.length;
        pending = left as typeof pending;
      }
    },
    options.deadline,
  );
  return written;
}

export const centreItem = (centreId: string, name: string) => ({
  ...keys.centre(centreId),
  ...keys.centresIndex(),
  gsi1sk: centreId,
  type: "Centre",
  centreId,
  name,
  neighbourhoods: [{ neighbourhoodId: `${centreId}_n1`, name: "基准测试社区" }],
});

export const teamItem = (centreId: string, teamId: string, name: string, capacityHouseholds = 800) => ({
  ...keys.team(teamId),
  ...keys.teamsOfCentre(centreId),
  gsi1sk: teamId,
  type: "Team",
  teamId,
  centreId,
  name,
  members: [{ name: "基准医生", role: "doctor" }],
  capacityHouseholds,
  signedHouseholds: 0,
  signedPersons: 0,
});

const APPLIED = "2026-01-01T00:00:00.000Z";

/** An active contract as the fan-out and audience count read it (shape of test/notices.test.ts). */
export const activeContract = (centreId: string, teamId: string, residentId: string, contractId: string) => ({
  ...keys.contract(contractId),
  ...keys.contractByTeam(teamId, "active", APPLIED, contractId),
  ...keys.contractByResident(residentId, APPLIED, contractId),
  type: "Contract",
  contractId,
  residentId,
  householdId: `h_${residentId}`,
  teamId,
  teamName: "基准团队",
  centreId,
  status: "active",
  term: 1,
  packages: [],
  appliedAt: APPLIED,
  startDate: "2026-01-01",
  endDate: "2026-12-31",
  resident: { name: "基准居民", sex: "female", birthDate: "1960-01-01", groups: ["elderly"] },
  groupsAtSigning: ["elderly"],
  delivered: {},
});

/** A survey response of a centre-month, with its index keys (shape of surveys-repo.submitResponse). */
export const surveyResponse = (
  centreId: string,
  teamId: string,
  residentId: string,
  month: string,
  i: number,
) => {
  const invitationId = `si_${residentId}`;
  const submittedAt = `${month}-02T0${i % 10}:00:00.000Z`;
  const low = i % 20 === 0;
  const value = low ? 2 : 4 + (i % 2);
  return {
    ...keys.surveyResponse(invitationId),
    ...keys.responseByCentreMonth(centreId, month, submittedAt, invitationId),
    ...(low ? keys.lowScoreByCentre(centreId, submittedAt, invitationId) : {}),
    type: "SurveyResponse",
    invitationId,
    surveyId: "sv_default_contract",
    centreId,
    residentId,
    month,
    about: { teamId, serviceType: "consultation" },
    answers: [],
    ratings: (["professional", "attitude", "waiting", "environment", "overall"] as const).map(
      (dimension) => ({
        questionId: `q_${dimension}`,
        dimension,
        value,
      }),
    ),
    comments: [],
    low,
    submittedAt,
  };
};

/** A work-list item as the projector writes it: a signed household no notice reached this year. */
export const notReachedItem = (teamId: string, residentId: string) => ({
  ...keys.workItem(teamId, "not_reached", residentId),
  type: "WorkItem",
  kind: "not_reached",
  teamId,
  residentId,
  name: "基准居民",
  groups: ["elderly"],
  dueBy: "2026-12-31",
  reason: "今年尚未收到任何健康通知",
  updatedAt: APPLIED,
});

/** A resident who can act through their own account: USER, Resident profile, ACTS and REP links. */
/** A staff account as a claimed invitation leaves it: tokens are checked against this item. */
export function staffUser(
  userId: string,
  roles: string[],
  place: { centreId?: string; teamId?: string; districtId?: string },
) {
  return {
    ...keys.user(userId),
    type: "User",
    userId,
    roles,
    ...place,
    createdAt: new Date().toISOString(),
    openidHash: `bench-${userId}`,
  };
}

export function actingResident(userId: string, residentId: string, centreId: string) {
  const now = new Date().toISOString();
  return [
    {
      ...keys.user(userId),
      type: "User",
      userId,
      roles: ["resident"],
      residentId,
      createdAt: now,
      openidHash: `bench-${userId}`,
    },
    {
      ...keys.resident(residentId),
      type: "Resident",
      residentId,
      name: "基准居民",
      idType: "resident_id_card",
      idNumberEnc: "bench-not-encrypted",
      idNumberMasked: "110***********1234",
      idHash: `bench-${residentId}`,
      phoneMasked: "138****0000",
      birthDate: "1960-01-01",
      sex: "female",
      declaredGroups: [],
      neighbourhoodId: "n_demo_1",
      centreId,
      address: "和平里一区 3 号楼 2 单元 501",
      householdId: `h_${residentId}`,
      accountUserId: userId,
      consents: {
        privacyPolicyVersion: "2026-01",
        privacyAcceptedAt: now,
        healthData: true,
        healthDataAcceptedAt: now,
      },
      createdAt: now,
      updatedAt: now,
    },
    {
      ...keys.actsFor(userId, residentId),
      type: "Representation",
      userId,
      residentId,
      relation: "self",
      consentRecordedAt: now,
    },
    { ...keys.representedBy(residentId, userId), type: "Representative", userId, residentId },
  ];
}

/** The two items that make a resident signed with a team: the active contract and the SIGNED lock. */
export function signedWith(centreId: string, teamId: string, residentId: string) {
  const contractId = `k_${residentId}`;
  return [
    activeContract(centreId, teamId, residentId, contractId),
    { ...keys.signedLock(residentId), type: "SignedLock", contractId, teamId },
  ];
}

/** A district (区) over some centres, as the demo data and an operator's district invitation (ops/invite-district.ts) leave it. */
export const districtItem = (districtId: string, centreIds: string[]) => ({
  ...keys.district(districtId),
  type: "District",
  districtId,
  name: "基准区",
  centreIds,
});

const SCALE_SURVEY_RATINGS = ["professional", "attitude", "waiting", "overall"] as const;

/**
 * A manual survey of a centre with its results as the submit path keeps them: one stat item per
 * team (invited, responded, per question `q_<questionId>_<value>`) and a few comments without
 * identity (surveys-repo.ts invitedAdd, respondedAdd, commentPut).
 */
export function surveyWithResults(
  centreId: string,
  surveyId: string,
  teams: string[],
  invitedPerTeam: number,
) {
  const createdAt = "2026-01-05T00:00:00.000Z";
  const items: Item[] = [
    {
      ...keys.survey(surveyId),
      ...keys.surveyByCentre(centreId, createdAt, surveyId),
      type: "Survey",
      surveyId,
      centreId,
      title: "基准问卷",
      trigger: "manual",
      isDefault: false,
      createdAt,
      questions: [
        ...SCALE_SURVEY_RATINGS.map((d) => ({
          questionId: d,
          type: "rating",
          dimension: d,
          text: d,
          required: true,
        })),
        { questionId: "comment", type: "text", text: "意见或建议", required: false },
      ],
    },
  ];
  for (const teamId of teams) {
    const responded = Math.floor(invitedPerTeam * 0.6);
    const counts: Item = {};
    for (const d of SCALE_SURVEY_RATINGS) {
      counts[`q_${d}_5`] = Math.floor(responded / 2);
      counts[`q_${d}_4`] = responded - Math.floor(responded / 2);
    }
    items.push({
      ...keys.surveyStat(surveyId, teamId),
      type: "SurveyStat",
      surveyId,
      teamId,
      invited: invitedPerTeam,
      responded,
      ...counts,
    });
    for (let i = 0; i < 5; i++) {
      const submittedAt = `2026-01-0${6 + i}T02:00:00.000Z`;
      items.push({
        ...keys.surveyComment(surveyId, submittedAt, `${teamId}_${i}`),
        type: "SurveyComment",
        surveyId,
        teamId,
        text: "服务很好",
        submittedAt,
      });
    }
  }
  return items;
}

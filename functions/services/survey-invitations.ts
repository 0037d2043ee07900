import { getTeam } from "../data/centres-repo.js";
import * as repo from "../data/surveys-repo.js";
import type { Recipient } from "../domain/notices.js";
import {
  type InvitationAbout,
  invitationExpiry,
  invitationIdFor,
  type SurveyRecord,
} from "../domain/surveys.js";
import { mapLimit } from "../lib/concurrency.js";
import { pushToFamily } from "./push.js";
import { settingsOf } from "./settings.js";

/**
 * Survey invitations as the triggers make them (a manual survey's fan-out page, the annual
 * evaluation before renewal): one per (survey, resident, occasion), valid until the survey closes or
 * the centre's survey-expiry days pass, with a subscribe message where the family granted one.
 */
const CONCURRENCY = 20;

export const surveyTemplateId = () => process.env.WECHAT_TEMPLATE_SURVEY || undefined;

export const surveyPush = (
  survey: Pick<SurveyRecord, "title">,
  about: InvitationAbout,
  expiresAtIso: string,
) => ({
  templateId: surveyTemplateId() ?? "",
  page: "pages/surveys/index",
  data: {
    thing1: { value: survey.title.slice(0, 20) },
    thing2: { value: (about.teamName ?? "家庭医生团队").slice(0, 20) },
    time3: {
      value: new Date(Date.parse(expiresAtIso) + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " "),
    },
  },
});

/** Creates one invitation (idempotent); true when this call created it. */
export async function inviteOnce(input: {
  survey: SurveyRecord;
  centreId: string;
  residentId: string;
  occasion: string;
  about: InvitationAbout;
  at: Date;
  expiryDays: number;
  /** Counted in the survey's invited figures here (false: the fan-out counts the page). */
  counted: boolean;
}): Promise<{ invitationId: string; created: boolean; expiresAtIso: string }> {
  const createdAt = input.at.toISOString();
  const invitationId = invitationIdFor(input.survey.surveyId, input.residentId, input.occasion);
  const expiresAtIso = invitationExpiry(createdAt, input.expiryDays, input.survey.closesAt);
  const created = await repo.createInvitation(
    {
      invitationId,
      surveyId: input.survey.surveyId,
      centreId: input.centreId,
      residentId: input.residentId,
      occasion: input.occasion,
      about: input.about,
      status: "pending",
      createdAt,
      expiresAtIso,
    },
    { counted: input.counted },
  );
  if (created && surveyTemplateId())
    await pushToFamily(input.residentId, surveyPush(input.survey, input.about, expiresAtIso));
  return { invitationId, created, expiresAtIso };
}

/**
 * One fan-out page of a manual survey: every recipient of the page (signed with `teamId`) invited
 * once. A redelivered page finds the invitations made and creates none again; the page's count is
 * added with its checkpoint (surveys-repo invitedAdd).
 */
export async function inviteRecipients(
  surveyId: string,
  centreId: string,
  teamId: string,
  recipients: Recipient[],
  now: Date,
) {
  const survey = await repo.getSurvey(surveyId);
  if (!survey) throw new Error(`survey ${surveyId} does not exist`);
  if (survey.closesAt && survey.closesAt <= now.toISOString())
    return { delivered: 0, pushed: 0, refused: 0, invited: 0 };
  const [settings, team] = await Promise.all([settingsOf(centreId), getTeam(teamId)]);
  const about: InvitationAbout = { teamId, teamName: team?.name };
  const results = await mapLimit(recipients, CONCURRENCY, (r) =>
    inviteOnce({
      survey,
      centreId,
      residentId: r.residentId,
      occasion: "manual",
      about,
      at: now,
      expiryDays: settings.surveyExpiryDays,
      counted: false,
    }),
  );
  // Every recipient of the page now holds an invitation (made here or by an earlier try of the page).
  return {
    delivered: results.filter((r) => r.created).length,
    pushed: 0,
    refused: 0,
    invited: recipients.length,
  };
}

import { type Dimension, MIN_RESPONSES_FOR_AVERAGE } from "../../shared/schemas/surveys.js";
import type { Answer, SurveyRecord } from "./surveys.js";

/**
 * A survey's results from its per-team figures: pure, no I/O. Counts of invitations and responses
 * are always shown; every breakdown of answers (per question, per team, comments) only for a group
 * of at least MIN_RESPONSES_FOR_AVERAGE responses, so no single resident's answers can be read off.
 */

/** The count fields one response adds on its team's item: `q_<questionId>_<value or option index>`. */
export function answerCounts(survey: Pick<SurveyRecord, "questions">, answers: Answer[]): string[] {
  const fields: string[] = [];
  for (const a of answers) {
    const q = survey.questions.find((x) => x.questionId === a.questionId);
    if (!q) continue;
    if (q.type === "rating" && typeof a.value === "number") fields.push(`q_${q.questionId}_${a.value}`);
    if (q.type === "choice" && typeof a.value === "string") {
      const i = q.options?.indexOf(a.value) ?? -1;
      if (i >= 0) fields.push(`q_${q.questionId}_${i}`);
    }
    if (q.type === "multiple_choice" && Array.isArray(a.value)) {
      for (const option of a.value) {
        const i = q.options?.indexOf(option) ?? -1;
        if (i >= 0) fields.push(`q_${q.questionId}_${i}`);
      }
    }
  }
  return fields;
}

export type StatItem = Record<string, unknown>;

const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0)) || 0;
const rate = (responded: number, invited: number) =>
  invited > 0 ? Math.round((responded / invited) * 1000) / 1000 : null;
const round2 = (n: number) => Math.round(n * 100) / 100;
export const shown = (responses: number) => responses >= MIN_RESPONSES_FOR_AVERAGE;

export interface QuestionResult {
  questionId: string;
  type: SurveyRecord["questions"][number]["type"];
  text: string;
  dimension?: Dimension;
  /** Ratings 1–5: how many gave each; null under the floor. */
  distribution?: Record<string, number> | null;
  average?: number | null;
  /** Choices: how many chose each option; null under the floor. */
  counts?: { option: string; count: number }[] | null;
}

function questionsOf(survey: Pick<SurveyRecord, "questions">, items: StatItem[], visible: boolean) {
  const sum = (field: string) => items.reduce((n, item) => n + num(item[field]), 0);
  return survey.questions
    .filter((q) => q.type !== "text")
    .map((q): QuestionResult => {
      const base = { questionId: q.questionId, type: q.type, text: q.text, dimension: q.dimension };
      if (q.type === "rating") {
        const distribution: Record<string, number> = {};
        let total = 0;
        let n = 0;
        for (let v = 1; v <= 5; v++) {
          const c = sum(`q_${q.questionId}_${v}`);
          distribution[String(v)] = c;
          total += c * v;
          n += c;
        }
        return {
          ...base,
          distribution: visible ? distribution : null,
          average: visible && n > 0 ? round2(total / n) : null,
        };
      }
      return {
        ...base,
        counts: visible
          ? (q.options ?? []).map((option, i) => ({ option, count: sum(`q_${q.questionId}_${i}`) }))
          : null,
      };
    });
}

export function surveyResults(
  survey: Pick<SurveyRecord, "surveyId" | "title" | "trigger" | "questions" | "closesAt">,
  items: StatItem[],
  comments: { teamId: string; text: string }[],
  teamNames: Map<string, string>,
) {
  const invited = items.reduce((n, i) => n + num(i.invited), 0);
  const responded = items.reduce((n, i) => n + num(i.responded), 0);
  const teams = items
    .map((item) => {
      const teamId = String(item.teamId ?? "-");
      const teamResponded = num(item.responded);
      const teamInvited = num(item.invited);
      return {
        teamId: teamId === "-" ? null : teamId,
        name: teamNames.get(teamId) ?? null,
        invited: teamInvited,
        responded: teamResponded,
        responseRate: rate(teamResponded, teamInvited),
        questions: shown(teamResponded) ? questionsOf(survey, [item], true) : null,
        comments: shown(teamResponded)
          ? comments.filter((c) => c.teamId === teamId).map((c) => c.text)
          : null,
      };
    })
    .sort((a, b) => String(a.teamId).localeCompare(String(b.teamId)));
  // The whole survey minus the teams shown would give away the hidden teams' answers when they hold
  // 1–4 responses together: then the whole survey's breakdown is hidden as well.
  const hidden = teams.filter((t) => !shown(t.responded)).reduce((n, t) => n + t.responded, 0);
  const overall = shown(responded) && (hidden === 0 || shown(hidden));
  return {
    surveyId: survey.surveyId,
    title: survey.title,
    trigger: survey.trigger,
    closesAt: survey.closesAt ?? null,
    minResponses: MIN_RESPONSES_FOR_AVERAGE,
    invited,
    responded,
    responseRate: rate(responded, invited),
    teams,
    questions: questionsOf(survey, items, overall),
    comments: overall ? comments.map((c) => c.text) : null,
  };
}

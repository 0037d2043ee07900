import { capabilityHandler } from "../../lib/dispatch.js";
import { surveysRoutes } from "../../routes/surveys.js";

/** The deployed surveys function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(surveysRoutes, {
  createSurvey: () => import("./create-survey.js"),
  listCentreSurveys: () => import("./list-centre-surveys.js"),
  listMySurveys: () => import("./list-my-surveys.js"),
  submitSurveyResponse: () => import("./submit-survey-response.js"),
  satisfactionScores: () => import("./satisfaction-scores.js"),
  listLowScores: () => import("./list-low-scores.js"),
  monthlyReport: () => import("./monthly-report.js"),
  surveyResults: () => import("./survey-results.js"),
  assignFollowUp: () => import("./assign-follow-up.js"),
  resolveFollowUp: () => import("./resolve-follow-up.js"),
  listMyFollowUps: () => import("./list-my-follow-ups.js"),
  districtMonthlyReport: () => import("./district-monthly-report.js"),
  districtSatisfaction: () => import("./district-satisfaction.js"),
});

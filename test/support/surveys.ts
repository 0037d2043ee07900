import { OPERATOR_KEY } from "../../infra/local/runtime.js";
import { api, eventuallyFound, stack } from "./api.js";
import { publish, soonWindow } from "./appointments.js";

/**
 * Loads backend modules into the test process against the running stack's DynamoDB Local (for
 * direct seeding and in-process measurements). The environment is set before the first import.
 */
export async function backend() {
  const { edgeUrl, tableName } = stack();
  // As an operator through the local AWS endpoint (all grants), never as one of the functions.
  Object.assign(process.env, {
    STAGE: "local",
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL: edgeUrl,
    AWS_ACCESS_KEY_ID: OPERATOR_KEY,
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_REGION: "cn-north-1",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  const surveys = await import("../../functions/services/surveys.js");
  const repo = await import("../../functions/data/surveys-repo.js");
  const domain = await import("../../functions/domain/surveys.js");
  return { surveys, repo, domain };
}

/** Books a slot starting soon and has the doctor check the resident in and complete the visit. */
export async function completedVisit(
  teamId: string,
  doctor: string,
  resident: { token: string; residentId: string },
) {
  const soon = soonWindow();
  const [slot] = await publish(teamId, doctor, {
    date: soon.date,
    startTime: soon.startTime,
    endTime: soon.endTime,
    slotMinutes: 15,
  });
  const booked = await api("POST", "/v1/appointments", {
    token: resident.token,
    body: { slotId: slot?.slotId, residentId: resident.residentId },
  });
  if (booked.status !== 201) throw new Error(`book: ${JSON.stringify(booked.body)}`);
  const id = booked.body.appointmentId as string;
  for (const status of ["checked_in", "completed"]) {
    const res = await api("POST", `/v1/appointments/${id}/status`, { token: doctor, body: { status } });
    if (res.status !== 200) throw new Error(`${status}: ${JSON.stringify(res.body)}`);
  }
  return { appointmentId: id, date: soon.date };
}

/** The resident's pending invitation about an appointment, once the stream projector has made it. */
export const invitationAbout = (token: string, appointmentId: string) =>
  eventuallyFound(async () => {
    const list = await api("GET", "/v1/me/surveys?limit=100", { token });
    return list.body.items?.find(
      (i: { about: { appointmentId?: string } }) => i.about.appointmentId === appointmentId,
    );
  });

/** A complete, valid answer sheet for the default post-visit survey. */
export const visitAnswers = (rating: number | Record<string, number>, comment?: string) => {
  const r = (d: string) => (typeof rating === "number" ? rating : (rating[d] ?? 4));
  return [
    ...["professional", "attitude", "waiting", "environment", "overall"].map((d) => ({
      questionId: d,
      value: r(d),
    })),
    ...(comment === undefined ? [] : [{ questionId: "comment", value: comment }]),
  ];
};

import { api, devLogin, eventually, idNumberFor, newResident, stack, uniqueOpenid } from "./api.js";
import { queueIdle } from "./queues.js";

/** A fresh team of the demo centre with a doctor account bound to it (through a real invitation). */
export async function newTeamWithDoctor(capacityHouseholds = 600) {
  const manager = await devLogin("demo-manager");
  const team = await api("POST", "/v1/centres/c_demo/teams", {
    token: manager,
    body: {
      name: `测试团队${Date.now().toString(36)}`,
      capacityHouseholds,
      members: [{ name: "测试护士", role: "nurse" }],
    },
  });
  if (team.status !== 201) throw new Error(`team: ${JSON.stringify(team.body)}`);
  const invitation = await api("POST", "/v1/centres/c_demo/invitations", {
    token: manager,
    body: { role: "doctor", teamId: team.body.teamId },
  });
  const doctor = await devLogin(uniqueOpenid("doctor"));
  const claimed = await api("POST", "/v1/invitations/claim", {
    token: doctor,
    body: { code: invitation.body.code, name: "测试医生" },
  });
  if (claimed.status !== 200) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  return { teamId: team.body.teamId as string, doctor: claimed.body.token as string, manager };
}

export const applyBody = (residentId: string, teamId: string, packageIds: string[] = []) => ({
  residentId,
  teamId,
  packageIds,
  agreementVersion: "2026-01",
  signature: { confirmed: true },
});

export async function signedResident(
  teamId: string,
  doctor: string,
  options: Parameters<typeof newResident>[0] = {},
) {
  const resident = await newResident(options);
  const applied = await api("POST", "/v1/contracts", {
    token: resident.token,
    body: applyBody(resident.residentId, teamId),
  });
  if (applied.status !== 201) throw new Error(`apply: ${JSON.stringify(applied.body)}`);
  const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
  if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.body)}`);
  return { ...resident, contract: approved.body };
}

/** Scheduled workers that only plan: their pages are done by the reminders queue's worker. */
const PLANNERS_ON_REMINDERS_QUEUE = new Set(["contractRenewals", "appointmentReminders"]);

/**
 * Runs a scheduled worker through the local EventBridge stand-in, "as of" a time, and returns what
 * the run returned. For a planner, waits (bounded) until the pages it queued are done.
 */
export async function runJob(name: string, time: string, detail: Record<string, unknown> = {}) {
  const res = await fetch(`${stack().url}/__local/jobs/${name}`, {
    method: "POST",
    body: JSON.stringify({ time, detail }),
  });
  if (!res.ok) throw new Error(`job ${name}: ${res.status} ${await res.text()}`);
  // The twin answers {ok, result, attempts}; a bare result is what the previous gateway answered.
  const outcome = (await res.json()) as { ok?: boolean; result?: unknown } | null;
  if (PLANNERS_ON_REMINDERS_QUEUE.has(name)) await queueIdle("jiayi-reminders");
  const result = outcome && "ok" in outcome ? outcome.result : outcome;
  return (result ?? {}) as Record<string, number>;
}

/**
 * Finds a team on listTeams, following pages (the test run keeps adding teams to the demo centre).
 * The list reads an index, so a team created a moment ago is waited for.
 */
export const team = (teamId: string, token: string) =>
  eventually(
    () => findTeam(teamId, token),
    (found) => found !== undefined,
  );

async function findTeam(teamId: string, token: string) {
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const list = await api("GET", `/v1/centres/c_demo/teams?limit=100${query}`, { token });
    const found = list.body.items.find((t: { teamId: string }) => t.teamId === teamId);
    if (found) return found;
    cursor = list.body.nextCursor;
    if (!cursor) return undefined;
  }
  return undefined;
}

export { idNumberFor };

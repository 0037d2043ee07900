import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import { tableName } from "../lib/db.js";
import { conflict } from "../lib/errors.js";
import { keys } from "./keys.js";
import { type TransactItem, transact } from "./transactions.js";

/**
 * A family doctor serves at most 2,000 residents (DOMAIN.md; DEFAULT_SETTINGS.doctorMaxResidents).
 * A GP leads one team, so the team's person counter is the doctor's count. It already includes the
 * application being approved (a pending application holds its place, as for TEAM_FULL), so the
 * approval may go through while the counter is at most the limit. Checked on the team item inside
 * the approval's transaction, never read first: two approvals racing for the last place cannot
 * both pass.
 */
export const doctorLimitCheck = (teamId: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: keys.team(teamId),
    ConditionExpression: "attribute_not_exists(signedPersons) OR signedPersons <= :max",
    ExpressionAttributeValues: { ":max": DEFAULT_SETTINGS.doctorMaxResidents },
  },
});

/**
 * Runs an approval's transaction with the doctor limit as its last item. False when another of its
 * conditions failed (the contract moved meanwhile); 409 DOCTOR_FULL when only the limit stopped it.
 */
export async function transactWithinDoctorLimit(teamId: string, items: TransactItem[]): Promise<boolean> {
  const all = [...items, doctorLimitCheck(teamId)];
  const result = await transact(all);
  if (result.ok) return true;
  if (result.failed.length === 1 && result.failed[0] === all.length - 1)
    throw conflict(
      "DOCTOR_FULL",
      `该团队的家庭医生签约人数已达 ${DEFAULT_SETTINGS.doctorMaxResidents} 人上限，无法再审核通过`,
    );
  return false;
}

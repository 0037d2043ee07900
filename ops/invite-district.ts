import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DistrictInvitation } from "../functions/data/invitations-repo.js";
import { keys } from "../functions/data/keys.js";
import { newInvitationCode } from "../functions/domain/invitations.js";

const DAY_MS = 86_400_000;

/**
 * Issues the one-time code that makes its claimer the district's viewer (区卫健委): the `district`
 * role, read-only over one district, which must exist. A district is granted by the operator,
 * never by a centre's manager; the person claims the code in the app (我的 → 加入团队) with their own
 * account, as staff do, so the operator never handles their account id.
 */
export async function inviteDistrict(
  db: DynamoDBDocumentClient,
  tableName: string,
  districtId: string,
  options: { days?: number; now?: Date } = {},
): Promise<{ code: string; districtId: string; expiresAt: string }> {
  const days = options.days ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > 30)
    throw new Error("--days must be a whole number from 1 to 30");
  const district = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.district(districtId), ConsistentRead: true }),
  );
  if (!district.Item) throw new Error(`district ${districtId} does not exist`);
  const expires = new Date((options.now ?? new Date()).getTime() + days * DAY_MS);
  const invitation: DistrictInvitation = {
    code: newInvitationCode(),
    role: "district",
    districtId,
    createdBy: "operator",
    expiresAtIso: expires.toISOString(),
    expiresAt: Math.floor(expires.getTime() / 1000),
  };
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.invitation(invitation.code), type: "Invitation", ...invitation },
      // A code drawn twice (31^8 of them) is refused rather than overwriting another's.
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return { code: invitation.code, districtId, expiresAt: invitation.expiresAtIso };
}

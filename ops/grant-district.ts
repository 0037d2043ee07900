import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../functions/data/keys.js";

/**
 * Makes an account the district's viewer (区卫健委): the `district` role over one district, which
 * must exist. The district is granted by the operator, never by a centre's manager. Its session
 * version moves on, so tokens issued before stop working and the next login carries the role; a
 * staff role at a centre refuses the grant (one account is not both).
 */
export async function grantDistrict(
  db: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  districtId: string,
): Promise<{ userId: string; districtId: string; roles: string[] }> {
  const district = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.district(districtId), ConsistentRead: true }),
  );
  if (!district.Item) throw new Error(`district ${districtId} does not exist`);
  const user = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.user(userId), ConsistentRead: true }),
  );
  if (!user.Item) throw new Error(`user ${userId} does not exist`);
  const roles = (user.Item.roles as string[] | undefined) ?? ["resident"];
  if (roles.some((r) => r !== "resident" && r !== "district") || user.Item.centreId)
    throw new Error(`user ${userId} holds a role at a centre; remove it first`);
  const next = [...new Set([...roles, "district"])];
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.user(userId),
      UpdateExpression:
        "SET #roles = :roles, districtId = :d, sessionVersion = if_not_exists(sessionVersion, :zero) + :one",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: { ":roles": next, ":d": districtId, ":zero": 0, ":one": 1 },
    }),
  );
  return { userId, districtId, roles: next };
}

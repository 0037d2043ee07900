import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { dynamo, tableName } from "../lib/db.js";

/** True when the table answers; DescribeTable costs no capacity. */
export async function databaseReachable(): Promise<boolean> {
  try {
    const out = await dynamo.send(new DescribeTableCommand({ TableName: tableName() }));
    return out.Table?.TableStatus === "ACTIVE";
  } catch {
    return false;
  }
}

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../lib/db.js";

/**
 * True when the table answers. A GetItem of a key that never exists proves the table is reachable
 * with the read grant every function already has (DescribeTable would need its own permission).
 */
export async function databaseReachable(): Promise<boolean> {
  try {
    await db.send(new GetCommand({ TableName: tableName(), Key: { pk: "HEALTH", sk: "HEALTH" } }));
    return true;
  } catch {
    return false;
  }
}

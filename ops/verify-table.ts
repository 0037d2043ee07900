import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { TABLE } from "../functions/data/table.js";

/**
 * Checks a table (typically one restored from point-in-time recovery, which brings back the items
 * and indexes but not the stream, TTL or PITR settings) against what the stack declares: the keys,
 * every GSI with its keys and full projection, the NEW_AND_OLD_IMAGES stream, TTL on the expiry
 * attribute, PITR and on-demand billing. Returns the problems found; none means the stack can use it.
 */
export async function verifyTable(dynamo: DynamoDBClient, tableName: string): Promise<string[]> {
  const problems: string[] = [];
  const { Table: table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  if (!table) return [`table ${tableName} not found`];
  const keysOf = (schema: { AttributeName?: string; KeyType?: string }[] = []) =>
    schema.map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  const wantKeys = (hash: string, range: string) => `${hash}:HASH,${range}:RANGE`;

  if (table.TableStatus !== "ACTIVE") problems.push(`status is ${table.TableStatus}, not ACTIVE`);
  if (keysOf(table.KeySchema) !== wantKeys(TABLE.partitionKey, TABLE.sortKey))
    problems.push(`key schema is ${keysOf(table.KeySchema)}`);
  if (table.BillingModeSummary?.BillingMode !== "PAY_PER_REQUEST")
    problems.push(
      `billing mode is ${table.BillingModeSummary?.BillingMode ?? "PROVISIONED"}, not PAY_PER_REQUEST`,
    );
  for (const index of TABLE.indexes) {
    const found = table.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.name);
    if (!found) problems.push(`GSI ${index.name} is missing`);
    else {
      if (keysOf(found.KeySchema) !== wantKeys(index.partitionKey, index.sortKey))
        problems.push(`GSI ${index.name} keys are ${keysOf(found.KeySchema)}`);
      if (found.Projection?.ProjectionType !== "ALL")
        problems.push(`GSI ${index.name} projects ${found.Projection?.ProjectionType}, not ALL`);
    }
  }
  const extra = (table.GlobalSecondaryIndexes ?? [])
    .map((g) => g.IndexName)
    .filter((n) => !TABLE.indexes.some((i) => i.name === n));
  if (extra.length) problems.push(`unexpected GSIs: ${extra.join(", ")}`);
  const stream = table.StreamSpecification;
  if (!stream?.StreamEnabled || stream.StreamViewType !== "NEW_AND_OLD_IMAGES")
    problems.push(
      `stream is ${stream?.StreamEnabled ? stream.StreamViewType : "off"}: the stats projector needs NEW_AND_OLD_IMAGES`,
    );

  const ttl = (await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName })))
    .TimeToLiveDescription;
  if (ttl?.TimeToLiveStatus !== "ENABLED" || ttl.AttributeName !== TABLE.ttlAttribute)
    problems.push(
      `TTL is ${ttl?.TimeToLiveStatus ?? "DISABLED"} on ${ttl?.AttributeName ?? "no attribute"}, not ENABLED on ${TABLE.ttlAttribute}`,
    );

  const backups = (await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: tableName })))
    .ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (backups?.PointInTimeRecoveryStatus !== "ENABLED")
    problems.push(`point-in-time recovery is ${backups?.PointInTimeRecoveryStatus ?? "DISABLED"}`);
  return problems;
}

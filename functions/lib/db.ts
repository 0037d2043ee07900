import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { env } from "./env.js";

/** Created once per cold start. A request timeout is set because the SDK has none by default. */
export const dynamo = new DynamoDBClient({
  endpoint: env.dynamoEndpoint,
  region: process.env.AWS_REGION ?? "cn-north-1",
  maxAttempts: 3,
  requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000 },
  ...(env.dynamoEndpoint ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
});

export const db = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = () => env.tableName;

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { env } from "./env.js";

/**
 * Created once per cold start. A request timeout is set because the SDK has none by default. Region,
 * credentials and (locally, the twin's) endpoint come from the environment as Lambda sets it.
 */
export const dynamo = new DynamoDBClient({
  maxAttempts: 3,
  // Without throwOnRequestTimeout this SDK only warns when the timeout passes and keeps waiting.
  requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000, throwOnRequestTimeout: true },
});

export const db = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = () => env.tableName;

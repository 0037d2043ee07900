import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { TABLE } from "../../functions/data/table.js";
// @ts-expect-error -- plain .mjs script shared with npm's postinstall; it has no type declarations
import { ensureDynamoDbLocal } from "./fetch-dynamodb-local.mjs";
import { freePort, waitFor } from "./net.js";

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

function assertJava() {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "DynamoDB Local needs Java 17+: install it with `sudo apt-get install -y openjdk-17-jre-headless` (or brew install openjdk@17).",
    );
  }
}

/** Starts Amazon's DynamoDB Local: in memory for tests, on disk (dataDir) for `npm start`. */
export async function startDynamoDbLocal(options: {
  dataDir?: string;
  port?: number;
}): Promise<DynamoDbLocal> {
  assertJava();
  const dir: string = ensureDynamoDbLocal();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  const child: ChildProcess = spawn(
    "java",
    [
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      join(dir, "DynamoDBLocal.jar"),
      "-port",
      String(port),
      "-disableTelemetry",
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working directory: keep it in the cache.
    { stdio: ["ignore", "ignore", "pipe"], cwd: dir },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr.slice(0, 500)}`);
      await client.send(new ListTablesCommand({}));
    }, 30_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

export const localClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: "cn-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

/** Creates the single table as the CDK stack defines it, unless it exists (restarts keep data). */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  const existing = await client.send(new ListTablesCommand({}));
  if (existing.TableNames?.includes(tableName)) return;
  const keys = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

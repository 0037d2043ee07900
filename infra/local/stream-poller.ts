import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { matchesFilter, STREAM_FILTERS } from "../constructs/stream-filter.js";
import { localClient } from "./dynamodb-local.js";

/**
 * The local stand-in for Lambda's DynamoDB event source: polls the table's stream on DynamoDB
 * Local and invokes each `{ stream: "table" }` worker with the event shape Lambda delivers
 * (Records[] with eventID, eventName, dynamodb.NewImage/OldImage/SequenceNumber). Batch item
 * failures are retried from the failed record, a bounded number of times, as Lambda would.
 */
type DynamoDBStreamEvent = { Records: unknown[] };
type StreamResult = { batchItemFailures?: { itemIdentifier: string }[] } | undefined;

export interface StreamPoller {
  stop(): Promise<void>;
}

const POLL_MS = 200;
const BATCH = 100;
const MAX_RETRIES = 5;
const DISCOVER_EVERY_MS = 2_000;

/** Lambda's record shape: the stream API's record plus the source ARN and region. */
const toLambdaRecord = (r: StreamRecord, streamArn: string) => ({
  eventID: r.eventID,
  eventName: r.eventName,
  eventVersion: r.eventVersion ?? "1.1",
  eventSource: "aws:dynamodb",
  awsRegion: r.awsRegion ?? "cn-north-1",
  eventSourceARN: streamArn,
  dynamodb: {
    ...r.dynamodb,
    ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(new Date(r.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
      : undefined,
  },
});

export async function startStreamPoller(options: {
  endpoint: string;
  tableName: string;
  /** Invokes a stream worker as Lambda's event source mapping does (infra/local/runtime.ts). */
  invoke: (workerName: string, event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Names of the stream-triggered workers. */
  workers: readonly string[];
  log?: (message: string) => void;
}): Promise<StreamPoller> {
  const log = options.log ?? ((m: string) => console.error(`[streams] ${m}`));
  const streamWorkers = options.workers;
  if (streamWorkers.length === 0) return { stop: async () => undefined };
  const handlers = streamWorkers.map((name) => ({
    // The event source mapping's filter, as the stack declares it.
    worker: { name, filter: STREAM_FILTERS[name] },
    handler: (event: DynamoDBStreamEvent) => options.invoke(name, event) as Promise<StreamResult>,
  }));
  const table = await localClient(options.endpoint).send(
    new DescribeTableCommand({ TableName: options.tableName }),
  );
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: "cn-north-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

  /** Open iterators by shard; shards seen (so a closed shard is not read again). */
  const iterators = new Map<string, string>();
  const seen = new Set<string>();
  let first = true;
  let lastDiscovery = 0;

  async function discover() {
    lastDiscovery = Date.now();
    let start: string | undefined;
    do {
      const out = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of out.StreamDescription?.Shards ?? []) {
        const id = shard.ShardId;
        if (!id || seen.has(id)) continue;
        seen.add(id);
        const closed = !!shard.SequenceNumberRange?.EndingSequenceNumber;
        // At start only what happens from now on (as LATEST on AWS); shards that appear later are
        // read from their beginning, so no record between two discoveries is missed.
        if (first && closed) continue;
        const iterator = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: id,
            ShardIteratorType: first ? "LATEST" : "TRIM_HORIZON",
          }),
        );
        if (iterator.ShardIterator) iterators.set(id, iterator.ShardIterator);
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    first = false;
  }

  async function deliver(records: StreamRecord[]): Promise<StreamRecord[]> {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt++) {
      let failedFrom = pending.length;
      for (const { worker, handler } of handlers) {
        const { filter } = worker;
        const mine = filter
          ? pending.filter((r) => matchesFilter(filter, toLambdaRecord(r, streamArn as string)))
          : pending;
        // Lambda never invokes a worker with a batch its filter emptied.
        if (mine.length === 0) continue;
        const result = await handler({
          Records: mine.map((r) => toLambdaRecord(r, streamArn as string)),
        }).catch((error: unknown) => {
          log(`${worker.name} failed: ${error instanceof Error ? error.message : String(error)}`);
          return { batchItemFailures: [{ itemIdentifier: mine[0]?.dynamodb?.SequenceNumber ?? "" }] };
        });
        for (const f of result?.batchItemFailures ?? []) {
          const i = pending.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier);
          if (i >= 0) failedFrom = Math.min(failedFrom, i);
        }
      }
      if (failedFrom >= pending.length) return [];
      if (attempt >= MAX_RETRIES) {
        log(`giving up on ${pending.length - failedFrom} record(s) after ${MAX_RETRIES} retries`);
        return pending.slice(failedFrom);
      }
      pending = pending.slice(failedFrom);
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
    return [];
  }

  await discover();
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        if (Date.now() - lastDiscovery > DISCOVER_EVERY_MS) await discover();
        // Shards in parallel, each in order: as Lambda runs one invocation per shard at a time.
        await Promise.all(
          [...iterators].map(async ([shardId, iterator]) => {
            if (stopped) return;
            const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH }));
            if (out.Records?.length) {
              busy = true;
              await deliver(out.Records);
            }
            if (out.NextShardIterator) iterators.set(shardId, out.NextShardIterator);
            else iterators.delete(shardId);
          }),
        );
      } catch (error) {
        if (!stopped) log(`poll failed: ${error instanceof Error ? error.message : String(error)}`);
        // An expired iterator (DynamoDB Local keeps them 15 minutes) is replaced at the next discovery.
        if (error instanceof Error && error.name === "ExpiredIteratorException") {
          iterators.clear();
          seen.clear();
          first = true;
          lastDiscovery = 0;
        }
      }
      // A busy shard is read again at once; an idle stream is polled every POLL_MS.
      if (busy) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS).unref();
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      streams.destroy();
    },
  };
}

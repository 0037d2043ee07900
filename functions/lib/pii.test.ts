import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";

type Pii = typeof import("./pii.js");
let pii: Pii;

// A unit test: the keys come from a stub instead of Secrets Manager (API tests use the real path).
const keys = new Map<string, Buffer>();
vi.mock("./secrets.js", () => ({
  keyFor: async (purpose: string) => {
    if (!keys.has(purpose)) keys.set(purpose, randomBytes(32));
    return keys.get(purpose);
  },
}));

beforeAll(async () => {
  pii = await import("./pii.js");
});

const flip = (b64: string, index = 0) => {
  const bytes = Buffer.from(b64, "base64");
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString("base64");
};

describe("encryptPii / decryptPii", () => {
  it("round-trips ASCII and Chinese text", async () => {
    for (const plain of ["11010519491231002X", "13812345678", "和平里一区 3 号楼 2 单元 501", "x"]) {
      // Act
      const sealed = await pii.encryptPii(plain);
      // Assess
      // (a one-letter value may occur in base64 by chance; longer ones must not)
      if (plain.length > 3) expect(sealed).not.toContain(plain);
      expect(await pii.decryptPii(sealed)).toBe(plain);
    }
  });

  // Product bug: encryptPii("") seals an empty data part ("v1.<iv>.<tag>."), which decryptPii's
  // `!data` check then refuses as "Unknown PII ciphertext format" (functions/lib/pii.ts:25).
  it("reads back what it sealed for an empty value", async () => {
    const sealed = await pii.encryptPii("");
    expect(await pii.decryptPii(sealed)).toBe("");
  });

  it("gives a different ciphertext every time for the same value", async () => {
    // Act
    const a = await pii.encryptPii("11010519491231002X");
    const b = await pii.encryptPii("11010519491231002X");
    // Assess
    expect(a).not.toBe(b);
    expect(a.split(".")[0]).toBe("v1");
    expect(a.split(".")).toHaveLength(4);
  });

  it("refuses a ciphertext whose data, tag or iv was changed", async () => {
    // Prepare
    const sealed = await pii.encryptPii("13812345678");
    const [version, iv, tag, data] = sealed.split(".") as [string, string, string, string];
    // Act / Assess
    await expect(pii.decryptPii([version, iv, tag, flip(data)].join("."))).rejects.toThrow();
    await expect(pii.decryptPii([version, iv, flip(tag), data].join("."))).rejects.toThrow();
    await expect(pii.decryptPii([version, flip(iv), tag, data].join("."))).rejects.toThrow();
  });

  it("refuses unknown versions and malformed input", async () => {
    const sealed = await pii.encryptPii("x");
    await expect(pii.decryptPii(sealed.replace(/^v1/, "v2"))).rejects.toThrow(/format/);
    await expect(pii.decryptPii("v1.onlyiv")).rejects.toThrow(/format/);
    await expect(pii.decryptPii("")).rejects.toThrow(/format/);
  });
});

describe("lookupHash", () => {
  it("is stable for the same kind and value, and URL-safe", async () => {
    const a = await pii.lookupHash("id", "11010519491231002X");
    const b = await pii.lookupHash("id", "11010519491231002X");
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain("11010519491231002X");
  });

  it("keeps kinds apart: the same digits as an ID and as a phone hash differently", async () => {
    const digits = "13812345678";
    expect(await pii.lookupHash("id", digits)).not.toBe(await pii.lookupHash("phone", digits));
    expect(await pii.lookupHash("id", "a")).not.toBe(await pii.lookupHash("id", "b"));
  });
});

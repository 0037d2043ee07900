import { afterEach, describe, expect, it, vi } from "vitest";
import { logger, redact } from "./logger.js";

const ID = "11010519491231002X";
const ID_LOWER = "11010519491231002x";
const PHONE = "13812345678";

/** Everything the logger prints during `fn`, whichever stream it picks. */
function captureOutput(fn: () => void): string {
  const chunks: string[] = [];
  const keep = (chunk: unknown) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(keep);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(keep);
  try {
    fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join("");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("redact as a JSON.stringify replacer", () => {
  it("replaces ID numbers and mobile numbers inside free text", () => {
    // Prepare
    const value = { note: `证件 ${ID}，电话 ${PHONE}；小写 ${ID_LOWER}`, count: 3 };
    // Act
    const text = JSON.stringify(value, redact);
    // Assess
    expect(text).not.toContain(ID);
    expect(text).not.toContain(ID_LOWER);
    expect(text).not.toContain(PHONE);
    expect(JSON.parse(text)).toEqual({ note: "证件 [ID]，电话 [PHONE]；小写 [ID]", count: 3 });
  });

  it("leaves numbers that are not mobile-shaped alone (longer digit runs, landlines, other prefixes)", () => {
    const value = { a: "订单 123456789012", b: "010-12345678", c: "12812345678", d: "masked 138****5678" };
    expect(JSON.parse(JSON.stringify(value, redact))).toEqual(value);
  });

  it("replaces the values of secret keys whatever their case and depth", () => {
    // Prepare
    const value = {
      headers: { Authorization: "Bearer abc.def.ghi" },
      level1: {
        level2: [
          { token: "tok-123", session_key: "sk-abc", sessionKey: "sk-def", openid: "o-wx-1" },
          { idNumber: "E12345678", IDNUMBER: "E7654321", phone: "+86 021 5555", PHONE: 42 },
        ],
      },
    };
    // Act
    const parsed = JSON.parse(JSON.stringify(value, redact));
    // Assess
    expect(parsed).toEqual({
      headers: { Authorization: "[REDACTED]" },
      level1: {
        level2: [
          { token: "[REDACTED]", session_key: "[REDACTED]", sessionKey: "[REDACTED]", openid: "[REDACTED]" },
          { idNumber: "[REDACTED]", IDNUMBER: "[REDACTED]", phone: "[REDACTED]", PHONE: "[REDACTED]" },
        ],
      },
    });
  });

  it("keeps null secrets as null and still scans strings nested under a secret key's object", () => {
    const value = { token: null, phone: { home: `call ${PHONE}` } };
    expect(JSON.parse(JSON.stringify(value, redact))).toEqual({
      token: null,
      phone: { home: "call [PHONE]" },
    });
  });

  it("keeps ordinary keys and masked values untouched", () => {
    const value = { residentId: "r_01ABC", idNumberMasked: "110***********002X", phoneMasked: "138****5678" };
    expect(JSON.parse(JSON.stringify(value, redact))).toEqual(value);
  });
});

describe("the logger singleton", () => {
  it("prints neither a raw ID number nor a phone number, in attributes or in the message", () => {
    // Prepare
    const attributes = {
      resident: { idNumber: ID, phone: PHONE, name: "王小明" },
      note: `ID ${ID_LOWER} tel ${PHONE}`,
      list: [ID, PHONE],
    };
    // Act
    const printed = captureOutput(() => {
      logger.info(`saving resident ${ID} with phone ${PHONE}`, attributes);
      logger.error("failed", { error: new Error(`duplicate ${ID}`), authorization: "Bearer x.y.z" });
    });
    // Assess
    expect(printed).toContain("saving resident");
    expect(printed).toContain("王小明");
    expect(printed).not.toContain(ID);
    expect(printed).not.toContain(ID_LOWER);
    expect(printed).not.toContain(PHONE);
    expect(printed).not.toContain("Bearer x.y.z");
    const line = JSON.parse(printed.split("\n")[0] as string);
    expect(line.resident).toEqual({ idNumber: "[REDACTED]", phone: "[REDACTED]", name: "王小明" });
    expect(line.message).toBe("saving resident [ID] with phone [PHONE]");
  });
});

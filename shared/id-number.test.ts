import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCharacter, normaliseIdNumber, validateIdNumber } from "./id-number.js";

/**
 * The check character computed here independently of the module, straight from GB 11643-1999:
 * weights 2^(17-i) mod 11, sum mod 11 indexes "10X98765432".
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MAP = "10X98765432";
function expectedCheck(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (WEIGHTS[i] as number), 0);
  return MAP[sum % 11] as string;
}
const withCheck = (first17: string) => first17 + expectedCheck(first17);

const TODAY = "2026-11-23";
const CHECK_CHARS = [..."0123456789X"];
const VALID_REGIONS = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
];

describe("GB 11643 check character", () => {
  it("matches the standard's worked example 11010519491231002X", () => {
    // Prepare
    const first17 = "11010519491231002";
    // Act
    const check = checkCharacter(first17);
    // Assess
    expect(expectedCheck(first17)).toBe("X");
    expect(check).toBe("X");
  });

  it("agrees with the weights and map for numbers computed by hand", () => {
    // each expected value comes from the algorithm above, not from the module under test
    const cases = ["44030419900307281", "31010420000229001", "65010219630815456", "81000019851111002"];
    for (const first17 of cases) {
      expect(checkCharacter(first17)).toBe(expectedCheck(first17));
      expect(validateIdNumber(withCheck(first17), TODAY)).toMatchObject({ ok: true });
    }
  });
});

describe("validateIdNumber", () => {
  it("accepts a valid number and reads birth date and sex from it", () => {
    // Prepare
    const id = withCheck("11010519491231002");
    // Act
    const result = validateIdNumber(id, TODAY);
    // Assess
    expect(result).toEqual({ ok: true, facts: { birthDate: "1949-12-31", sex: "female" } });
  });

  it("takes the sex from the 17th digit: odd is male, even is female", () => {
    for (const [seq, sex] of [
      ["001", "male"],
      ["010", "female"],
      ["999", "male"],
      ["998", "female"],
      ["000", "female"],
    ] as const) {
      const result = validateIdNumber(withCheck(`44030419900307${seq}`), TODAY);
      expect(result).toEqual({ ok: true, facts: { birthDate: "1990-03-07", sex } });
    }
  });

  it("accepts a lower-case x check character, and normaliseIdNumber upper-cases and trims it", () => {
    // Prepare
    const upper = withCheck("11010519491231002");
    const lower = upper.toLowerCase();
    // Act
    const result = validateIdNumber(` ${lower} `, TODAY);
    // Assess
    expect(upper.endsWith("X")).toBe(true);
    expect(result.ok).toBe(true);
    expect(normaliseIdNumber(` ${lower}\t`)).toBe(upper);
  });

  it("rejects a wrong check character with the checkDigit problem", () => {
    const good = withCheck("44030419900307281");
    const wrong = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    expect(validateIdNumber(wrong, TODAY)).toEqual({ ok: false, problem: "checkDigit" });
  });

  it("rejects shapes other than 17 digits and a digit or X", () => {
    const good = withCheck("44030419900307281");
    for (const bad of [
      "",
      good.slice(0, 17),
      `${good}0`,
      `${good.slice(0, 5)}A${good.slice(6)}`,
      `X${good.slice(1)}`,
      `${good.slice(0, 17)}Y`,
      "44030419900307281-",
      "４４０３０４１９９００３０７２８１X",
    ]) {
      expect(validateIdNumber(bad, TODAY), bad).toEqual({ ok: false, problem: "format" });
    }
  });

  it("rejects unknown regions, before looking at the date or check character", () => {
    for (const region of ["00", "10", "16", "20", "39", "66", "70", "72", "80", "84", "99"]) {
      const id = withCheck(`${region}010519491231002`);
      expect(validateIdNumber(id, TODAY), region).toEqual({ ok: false, problem: "region" });
    }
  });

  it("rejects impossible and out-of-range birth dates", () => {
    for (const date of [
      "19900230", // 30 February
      "19901301", // month 13
      "19900001", // month 0
      "19900100", // day 0
      "19900431", // 31 April
      "20230229", // 29 February in a common year
      "18991231", // before 1900
      "20261124", // tomorrow
      "29991231", // far future
    ]) {
      const id = withCheck(`110105${date}002`);
      expect(validateIdNumber(id, TODAY), date).toEqual({ ok: false, problem: "birthDate" });
    }
  });

  it("accepts the edges: 1 January 1900, 29 February of a leap year, and today", () => {
    for (const [date, iso] of [
      ["19000101", "1900-01-01"],
      ["20000229", "2000-02-29"],
      ["20261123", "2026-11-23"],
    ] as const) {
      const result = validateIdNumber(withCheck(`110105${date}002`), TODAY);
      expect(result, date).toEqual({ ok: true, facts: { birthDate: iso, sex: "female" } });
    }
  });

  it("property: for any valid region, date and sequence exactly one check character validates", () => {
    const first17 = fc
      .record({
        region: fc.constantFrom(...VALID_REGIONS),
        area: fc.integer({ min: 0, max: 9999 }),
        birth: fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date(`${TODAY}T00:00:00Z`),
          noInvalidDate: true,
        }),
        seq: fc.integer({ min: 0, max: 999 }),
      })
      .map(
        ({ region, area, birth, seq }) =>
          `${region}${String(area).padStart(4, "0")}${birth.toISOString().slice(0, 10).replaceAll("-", "")}${String(seq).padStart(3, "0")}`,
      );
    fc.assert(
      fc.property(first17, (digits) => {
        const check = expectedCheck(digits);
        expect(checkCharacter(digits)).toBe(check);
        const valid = validateIdNumber(digits + check, TODAY);
        expect(valid.ok).toBe(true);
        if (valid.ok) expect(valid.facts.sex).toBe(Number(digits[16]) % 2 ? "male" : "female");
        for (const other of CHECK_CHARS.filter((c) => c !== check)) {
          expect(validateIdNumber(digits + other, TODAY)).toEqual({ ok: false, problem: "checkDigit" });
        }
      }),
      { numRuns: 300 },
    );
  });
});

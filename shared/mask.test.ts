import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskIdNumber, maskPhone } from "./mask.js";

describe("maskIdNumber", () => {
  it("keeps the first 3 and last 4 characters of an 18-character ID number", () => {
    // Prepare
    const id = "11010519491231002X";
    // Act
    const masked = maskIdNumber(id);
    // Assess
    expect(masked).toBe("110***********002X");
    expect(masked).toHaveLength(18);
  });

  it("masks a passport number the same way, and short values entirely", () => {
    expect(maskIdNumber("E12345678")).toBe("E12**5678");
    expect(maskIdNumber("1234567")).toBe("*******");
    expect(maskIdNumber("12345678")).toBe("123*5678");
    expect(maskIdNumber("")).toBe("");
  });
});

describe("maskPhone", () => {
  it("keeps the first 3 and last 4 digits of a mobile number", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });

  it("masks short values entirely", () => {
    expect(maskPhone("1234")).toBe("****");
  });

  it("property: the mask keeps the length and the ends, and never contains the middle", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9X]{8,32}$/), (value) => {
        for (const masked of [maskIdNumber(value), maskPhone(value)]) {
          expect(masked).toHaveLength(value.length);
          expect(masked.slice(0, 3)).toBe(value.slice(0, 3));
          expect(masked.slice(-4)).toBe(value.slice(-4));
          expect(masked.slice(3, -4)).toMatch(/^\*+$/);
          expect(masked).not.toContain(value);
        }
      }),
    );
  });
});

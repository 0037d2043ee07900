import { describe, expect, it } from "vitest";
import { checkCharacter } from "../../shared/id-number.js";
import { groupsOf, identityFacts } from "./residents.js";

const TODAY = "2026-11-23";
const idFor = (birth: string, seq = "002") => {
  const first17 = `110105${birth.replaceAll("-", "")}${seq}`;
  return first17 + checkCharacter(first17);
};

describe("groupsOf", () => {
  it("adds elderly exactly on the 65th birthday", () => {
    // Prepare
    const birth = "1961-11-23";
    // Act
    const before = groupsOf(birth, [], "2026-11-22");
    const on = groupsOf(birth, [], "2026-11-23");
    // Assess
    expect(before).toEqual([]);
    expect(on).toEqual(["elderly"]);
  });

  it("adds elderly80 exactly on the 80th birthday, alongside elderly", () => {
    expect(groupsOf("1946-11-23", [], "2026-11-22")).toEqual(["elderly"]);
    expect(groupsOf("1946-11-23", [], "2026-11-23")).toEqual(["elderly", "elderly80"]);
  });

  it("counts children from birth up to the day before the 7th birthday (0–6 years)", () => {
    expect(groupsOf("2026-11-23", [], TODAY)).toEqual(["children"]);
    expect(groupsOf("2019-11-24", [], TODAY)).toEqual(["children"]);
    expect(groupsOf("2020-11-23", [], TODAY)).toEqual(["children"]);
    expect(groupsOf("2019-11-23", [], TODAY)).toEqual([]);
  });

  it("merges declared groups, without duplicates, in a stable sorted order", () => {
    // Act
    const groups = groupsOf("1940-01-01", ["low_income", "chronic", "elderly"], TODAY);
    // Assess
    expect(groups).toEqual(["chronic", "elderly", "elderly80", "low_income"]);
  });

  it("does not add an age group for a declared-only adult", () => {
    expect(groupsOf("1990-06-01", ["pregnant"], TODAY)).toEqual(["pregnant"]);
  });
});

describe("identityFacts", () => {
  it("reads birth date and sex from an 18-digit ID number and normalises a lower-case x", () => {
    // Prepare
    const id = "11010519491231002X";
    // Act
    const facts = identityFacts({ idType: "resident_id_card", idNumber: ` ${id.toLowerCase()} ` }, TODAY);
    // Assess
    expect(checkCharacter(id.slice(0, 17))).toBe("X");
    expect(facts).toEqual({ idNumber: id, birthDate: "1949-12-31", sex: "female" });
  });

  it("ignores a declared birth date and sex when the number carries them", () => {
    const id = idFor("1980-05-17", "013");
    const facts = identityFacts(
      { idType: "household_register", idNumber: id, birthDate: "2000-01-01", sex: "female" },
      TODAY,
    );
    expect(facts).toEqual({ idNumber: id, birthDate: "1980-05-17", sex: "male" });
  });

  it("takes a passport holder's declared birth date and sex", () => {
    const facts = identityFacts(
      { idType: "passport", idNumber: "e12345678", birthDate: "2021-06-01", sex: "female" },
      TODAY,
    );
    expect(facts).toEqual({ idNumber: "E12345678", birthDate: "2021-06-01", sex: "female" });
  });

  it("throws for a passport without birth date or sex, and for an invalid 18-digit number", () => {
    expect(() => identityFacts({ idType: "passport", idNumber: "E12345678", sex: "male" }, TODAY)).toThrow();
    expect(() =>
      identityFacts({ idType: "passport", idNumber: "E12345678", birthDate: "2000-01-01" }, TODAY),
    ).toThrow();
    const bad = `${idFor("1980-05-17").slice(0, 17)}${idFor("1980-05-17").endsWith("0") ? "1" : "0"}`;
    expect(() => identityFacts({ idType: "resident_id_card", idNumber: bad }, TODAY)).toThrow(/checkDigit/);
    expect(() => identityFacts({ idType: "residence_permit", idNumber: idFor("2027-01-01") }, TODAY)).toThrow(
      /birthDate/,
    );
  });
});

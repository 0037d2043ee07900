import { ageOn } from "../../shared/dates.js";
import type { PriorityGroup, Relation, Role } from "../../shared/enums.js";
import { normaliseIdNumber, validateIdNumber } from "../../shared/id-number.js";
import { maskIdNumber, maskPhone } from "../../shared/mask.js";
import type { FamilyMember, Profile } from "../../shared/schemas/identity.js";

/** A resident as stored: identifiers only as ciphertext, keyed hash and mask. */
export interface ResidentRecord {
  residentId: string;
  name: string;
  idType: Profile["idType"];
  idNumberEnc: string;
  idNumberMasked: string;
  idHash: string;
  phoneEnc?: string;
  phoneMasked?: string;
  birthDate: string;
  sex: "male" | "female";
  declaredGroups: Profile["declaredGroups"];
  neighbourhoodId: string;
  centreId: string;
  address: string;
  /** Family members share their representative's household: a team counts households, not people. */
  householdId: string;
  /** The account that is this resident, when they have one of their own. */
  accountUserId?: string;
  consents?: Profile["consents"];
  createdAt: string;
  updatedAt: string;
}

export interface RepresentationRecord {
  userId: string;
  residentId: string;
  relation: Relation | "self";
  consentRecordedAt: string;
}

export interface UserRecord {
  userId: string;
  roles: Role[];
  teamId?: string;
  centreId?: string;
  /** Held with the `district` role: the district whose centres the account reads. */
  districtId?: string;
  residentId?: string;
  createdAt: string;
}

/** Birth date and sex: from the ID number where it carries them, else as declared (passports). */
export function identityFacts(
  input: { idType: Profile["idType"]; idNumber: string; birthDate?: string; sex?: "male" | "female" },
  today: string,
): { idNumber: string; birthDate: string; sex: "male" | "female" } {
  const idNumber = normaliseIdNumber(input.idNumber);
  if (input.idType === "passport") {
    if (!input.birthDate || !input.sex) throw new Error("passport identity without birth date or sex");
    return { idNumber, birthDate: input.birthDate, sex: input.sex };
  }
  const checked = validateIdNumber(idNumber, today);
  if (!checked.ok) throw new Error(`identity number rejected after validation: ${checked.problem}`);
  return { idNumber, ...checked.facts };
}

/** Age groups follow the birth date on the day asked; the others are declared. */
export function groupsOf(
  birthDate: string,
  declared: readonly PriorityGroup[],
  today: string,
): PriorityGroup[] {
  const age = ageOn(birthDate, today);
  const groups = new Set<PriorityGroup>(declared);
  if (age >= 65) groups.add("elderly");
  if (age >= 80) groups.add("elderly80");
  if (age <= 6) groups.add("children");
  return [...groups].sort();
}

export const masks = { idNumber: maskIdNumber, phone: maskPhone };

function residentView(r: ResidentRecord, today: string) {
  return {
    residentId: r.residentId,
    name: r.name,
    idType: r.idType,
    idNumberMasked: r.idNumberMasked,
    phoneMasked: r.phoneMasked ?? null,
    birthDate: r.birthDate,
    sex: r.sex,
    age: ageOn(r.birthDate, today),
    groups: groupsOf(r.birthDate, r.declaredGroups, today),
    declaredGroups: r.declaredGroups,
  };
}

export function toProfile(r: ResidentRecord, today: string): Profile {
  if (!r.consents) throw new Error("own profile without recorded consents");
  return {
    ...residentView(r, today),
    neighbourhoodId: r.neighbourhoodId,
    centreId: r.centreId,
    address: r.address,
    consents: r.consents,
  };
}

export function toFamilyMember(r: ResidentRecord, link: RepresentationRecord, today: string): FamilyMember {
  return {
    ...residentView(r, today),
    relation: link.relation === "self" ? "other" : link.relation,
    consentRecordedAt: link.consentRecordedAt,
  };
}

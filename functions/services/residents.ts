import { ulid } from "ulid";
import { todayInChina } from "../../shared/dates.js";
import type { FamilyMemberBody, ProfileBody } from "../../shared/schemas/identity.js";
import { getNeighbourhood } from "../data/centres-repo.js";
import {
  createFamilyMember,
  createOwnResident,
  getResident,
  replaceResident,
} from "../data/identity-repo.js";
import { identityFacts, masks, type ResidentRecord, toFamilyMember, toProfile } from "../domain/residents.js";
import { assertCurrentVersions } from "../domain/versions.js";
import { conflict, fieldError } from "../lib/errors.js";
import { encryptPii, lookupHash } from "../lib/pii.js";
import type { Session } from "../lib/session.js";
import { currentUser } from "./identity.js";

const ID_TAKEN = () =>
  conflict(
    "ID_ALREADY_REGISTERED",
    "该证件号已由其他账号登记；如系家人代为登记，请由其在“家庭成员”中解除后再登记",
  );

/** Sealed identifiers: ciphertext to read back, keyed hash to find duplicates, mask to show. */
async function sealIdentity(input: {
  idType: ResidentRecord["idType"];
  idNumber: string;
  birthDate?: string;
  sex?: "male" | "female";
  phone?: string;
}) {
  const facts = identityFacts(input, todayInChina());
  // The 18-digit number is the same person whichever document shows it; passports are their own space.
  const space = input.idType === "passport" ? "passport" : "cn-id";
  return {
    idNumberEnc: await encryptPii(facts.idNumber),
    idNumberMasked: masks.idNumber(facts.idNumber),
    idHash: await lookupHash(space, facts.idNumber),
    phoneEnc: input.phone ? await encryptPii(input.phone) : undefined,
    phoneMasked: input.phone ? masks.phone(input.phone) : undefined,
    birthDate: facts.birthDate,
    sex: facts.sex,
  };
}

export async function saveOwnProfile(session: Session, body: ProfileBody) {
  assertCurrentVersions({ privacyPolicyVersion: body.consents.privacyPolicyVersion });
  const user = await currentUser(session);
  const neighbourhood = await getNeighbourhood(body.neighbourhoodId);
  if (!neighbourhood) throw fieldError("neighbourhoodId", "所选社区不存在");
  const previous = user.residentId ? await getResident(user.residentId) : undefined;
  const now = new Date().toISOString();
  const sameVersion = previous?.consents?.privacyPolicyVersion === body.consents.privacyPolicyVersion;
  const record: ResidentRecord = {
    residentId: previous?.residentId ?? `r_${ulid()}`,
    name: body.name,
    idType: body.idType,
    ...(await sealIdentity(body)),
    declaredGroups: [...new Set(body.declaredGroups ?? [])],
    neighbourhoodId: neighbourhood.neighbourhoodId,
    centreId: neighbourhood.centreId,
    address: body.address,
    householdId: previous?.householdId ?? `h_${ulid()}`,
    accountUserId: user.userId,
    consents: {
      privacyPolicyVersion: body.consents.privacyPolicyVersion,
      privacyAcceptedAt: sameVersion && previous?.consents ? previous.consents.privacyAcceptedAt : now,
      healthData: true,
      healthDataAcceptedAt: previous?.consents?.healthDataAcceptedAt ?? now,
    },
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  if (previous && !previous.erasedAt) {
    if ((await replaceResident(previous, record)) === "id-taken") throw ID_TAKEN();
  } else {
    const outcome = await createOwnResident(record, {
      userId: user.userId,
      residentId: record.residentId,
      relation: "self",
      consentRecordedAt: now,
    });
    if (outcome === "id-taken") throw ID_TAKEN();
    if (outcome !== "created") throw conflict("PROFILE_CHANGED", "档案刚刚被修改，请刷新后重试");
  }
  return toProfile(record, todayInChina());
}

export async function addFamilyMember(session: Session, body: FamilyMemberBody) {
  const user = await currentUser(session);
  const representative = user.residentId ? await getResident(user.residentId) : undefined;
  if (!representative || representative.erasedAt) {
    throw conflict("PROFILE_REQUIRED", "请先完成本人实名登记，再添加家庭成员");
  }
  const now = new Date().toISOString();
  const record: ResidentRecord = {
    residentId: `r_${ulid()}`,
    name: body.name,
    idType: body.idType,
    ...(await sealIdentity(body)),
    declaredGroups: [...new Set(body.declaredGroups ?? [])],
    // Family members live in the representative's household.
    neighbourhoodId: representative.neighbourhoodId,
    centreId: representative.centreId,
    address: representative.address,
    householdId: representative.householdId,
    createdAt: now,
    updatedAt: now,
  };
  const link = {
    userId: user.userId,
    residentId: record.residentId,
    relation: body.relation,
    consentRecordedAt: now,
  };
  const outcome = await createFamilyMember(record, link);
  if (outcome === "id-taken") throw ID_TAKEN();
  if (outcome === "family-full") throw conflict("FAMILY_LIMIT", "每个账号最多代办 10 位家庭成员");
  return toFamilyMember(record, link, todayInChina());
}

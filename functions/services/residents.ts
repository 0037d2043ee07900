import { ulid } from "ulid";
import { todayInChina } from "../../shared/dates.js";
import type { FamilyMemberBody, ProfileBody, UpdateFamilyMemberBody } from "../../shared/schemas/identity.js";
import { anonymiseResidentAppointments } from "../data/appointments-repo.js";
import { getNeighbourhood } from "../data/centres-repo.js";
import { anonymiseResidentContracts, getSignedLock } from "../data/contracts-repo.js";
import {
  createFamilyMember,
  createOwnResident,
  getRepresentation,
  getResident,
  idNumberOwner,
  listRepresentatives,
  removeFamilyLink,
  replaceResident,
  saveFamilyMember,
} from "../data/identity-repo.js";
import { clearInbox } from "../data/inbox-repo.js";
import { anonymiseOffers } from "../data/waitlist-repo.js";
import { identityFacts, masks, type ResidentRecord, toFamilyMember, toProfile } from "../domain/residents.js";
import { assertCurrentVersions } from "../domain/versions.js";
import { conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import { encryptPii, lookupHash } from "../lib/pii.js";
import type { Session } from "../lib/session.js";
import { endResidentFootprint } from "./erasure.js";
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
  if (outcome === "id-taken") throw await idTakenFor(user.userId, record.idHash);
  if (outcome === "family-full") throw conflict("FAMILY_LIMIT", "每个账号最多代办 10 位家庭成员");
  return toFamilyMember(record, link, todayInChina());
}

/**
 * An ID number already registered: when it is the caller's own or one of her family members, say
 * so by name instead of pointing at "another account".
 */
async function idTakenFor(userId: string, idHash: string) {
  const owner = await idNumberOwner(idHash);
  const link = owner ? await getRepresentation(userId, owner) : undefined;
  if (!owner || !link) return ID_TAKEN();
  if (link.relation === "self")
    return conflict("ALREADY_FAMILY_MEMBER", "这是您本人的证件号，无需添加为家庭成员");
  const name = (await getResident(owner))?.name;
  return conflict(
    "ALREADY_FAMILY_MEMBER",
    `${name ? `“${name}”` : "该家人"}已是您的家庭成员，无需重复添加；如需修改信息，请在家庭成员中编辑`,
  );
}

/** A family member this account acts for (not the account holder herself), or 404. */
async function ownFamilyMember(userId: string, residentId: string) {
  const link = await getRepresentation(userId, residentId);
  const resident = link && link.relation !== "self" ? await getResident(residentId) : undefined;
  if (!link || !resident || resident.erasedAt) throw notFound("没有这位家庭成员");
  return { link, resident };
}

export async function updateFamilyMember(session: Session, residentId: string, body: UpdateFamilyMemberBody) {
  const user = await currentUser(session);
  const { link, resident } = await ownFamilyMember(user.userId, residentId);
  if (resident.accountUserId) throw forbidden("该家人已用自己的账号登记，请由其本人修改");
  const phone =
    body.phone === undefined
      ? { phoneEnc: resident.phoneEnc, phoneMasked: resident.phoneMasked }
      : body.phone === null
        ? { phoneEnc: undefined, phoneMasked: undefined }
        : { phoneEnc: await encryptPii(body.phone), phoneMasked: masks.phone(body.phone) };
  const record: ResidentRecord = {
    ...resident,
    name: body.name,
    ...phone,
    declaredGroups: [...new Set(body.declaredGroups ?? resident.declaredGroups)],
    updatedAt: new Date().toISOString(),
  };
  const nextLink = { ...link, relation: body.relation };
  if (!(await saveFamilyMember(record, nextLink))) throw notFound("没有这位家庭成员");
  return toFamilyMember(record, nextLink, todayInChina());
}

/**
 * Removes a family member from the account. Refused while they hold a pending or running contract
 * (withdraw or terminate first). When no one else acts for them and they have no account of their
 * own, their personal data is erased as an account erasure would (open visits and lecture seats
 * given back), so the ID number can be registered again, by them or another family.
 */
export async function removeFamilyMember(session: Session, residentId: string) {
  const user = await currentUser(session);
  const { resident } = await ownFamilyMember(user.userId, residentId);
  if (await getSignedLock(residentId))
    throw conflict("FAMILY_MEMBER_SIGNED", "该家人有待审核或生效中的签约，请先撤回申请或解约后再移除");
  const others = (await listRepresentatives(residentId)).filter((r) => r.userId !== user.userId);
  const erase = others.length === 0 && !resident.accountUserId;
  if (erase) await endResidentFootprint(residentId);
  if (!(await removeFamilyLink(user.userId, resident, erase, new Date().toISOString())))
    throw notFound("没有这位家庭成员");
  if (erase) {
    await anonymiseResidentContracts(residentId);
    await anonymiseResidentAppointments(residentId);
    await anonymiseOffers(residentId);
    await clearInbox(residentId);
  }
  return { residentId, removed: true as const, erased: erase };
}

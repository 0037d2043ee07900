import { todayInChina } from "../../shared/dates.js";
import type { FamilyMember, MeResponse, Profile } from "../../shared/schemas/identity.js";
import { getResident, getUser, listRepresentations } from "../data/identity-repo.js";
import { toFamilyMember, toProfile, type UserRecord } from "../domain/residents.js";
import { unauthenticated } from "../lib/errors.js";
import type { Session } from "../lib/session.js";

/** The signed-in user's record; a token outliving its account (deleted meanwhile) is refused. */
export async function currentUser(session: Session) {
  const user = await getUser(session.userId);
  if (!user) throw unauthenticated("账号不存在或已注销，请重新登录");
  return user;
}

export const sessionUser = (user: UserRecord) => ({
  id: user.userId,
  roles: user.roles,
  teamId: user.teamId,
  centreId: user.centreId,
  districtId: user.districtId,
});

/** Own profile and the family members this account acts for, masked for display. */
export async function loadMe(session: Session): Promise<MeResponse> {
  const user = await currentUser(session);
  const today = todayInChina();
  const links = await listRepresentations(user.userId);
  let profile: Profile | null = null;
  const family: FamilyMember[] = [];
  for (const link of links) {
    const resident = await getResident(link.residentId);
    if (!resident || resident.erasedAt) continue;
    if (link.relation === "self") profile = toProfile(resident, today);
    else family.push(toFamilyMember(resident, link, today));
  }
  return { user: sessionUser(user), profile, family };
}

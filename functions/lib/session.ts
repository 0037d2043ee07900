import { jwtVerify, SignJWT } from "jose";
import * as z from "zod/mini";
import { Role } from "../../shared/enums.js";
import { getUser } from "../data/identity-repo.js";
import { sessionVersionOf } from "../domain/staff.js";
import { keyFor } from "./secrets.js";

/** Our own session token. Short-lived: the mini-program logs in again silently with wx.login. */
export const SESSION_SECONDS = 2 * 60 * 60;
const ISSUER = "jiayi";

export const SessionClaims = z.object({
  sub: z.string(),
  roles: z.array(Role),
  teamId: z.optional(z.string()),
  centreId: z.optional(z.string()),
  /** The user item's session version when the token was issued (domain/staff.ts sessionVersionOf). */
  ver: z.int(),
});
export type Session = {
  userId: string;
  roles: Role[];
  teamId?: string;
  centreId?: string;
  districtId?: string;
};

export async function issueSession(session: Session, sessionVersion = 0): Promise<string> {
  return new SignJWT({
    roles: session.roles,
    teamId: session.teamId,
    centreId: session.centreId,
    ver: sessionVersion,
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(session.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_SECONDS}s`)
    .sign(await keyFor("jwt"));
}

/**
 * Returns the session, or undefined for any token that is malformed, forged, expired or revoked
 * (its account deleted, or its version behind the user item's).
 *
 * The revocation check costs one strongly consistent GetItem on the user item per authenticated
 * request (one read unit for a user item under 4 KB). That is the price of role changes taking
 * effect on the member's next request rather than when the 2-hour token runs out; a cache would
 * bring back exactly that window, so there is none.
 */
export async function verifySession(token: string): Promise<Session | undefined> {
  // Outside the try: a key that cannot be loaded (Secrets Manager failing) is the service's
  // failure, answered as such, not every caller's token being wrong.
  const key = await keyFor("jwt");
  let claims: z.infer<typeof SessionClaims>;
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ["HS256"],
    });
    claims = SessionClaims.parse(payload);
  } catch {
    return undefined;
  }
  // Also outside the try: a failed read is a 503 to retry, not a bad token.
  const user = await getUser(claims.sub);
  if (!user || sessionVersionOf(user) !== claims.ver) return undefined;
  return {
    userId: claims.sub,
    roles: claims.roles,
    teamId: claims.teamId,
    centreId: claims.centreId,
    // Read from the user item this check has just read, not the token: no claim to add or keep in step.
    ...((user as { districtId?: string }).districtId
      ? { districtId: (user as { districtId?: string }).districtId }
      : {}),
  };
}

/** The answer of every login: our token plus who the user is, at the user item's session version. */
export async function loginResponse(user: Session, sessionVersion: number) {
  return {
    token: await issueSession(user, sessionVersion),
    expiresIn: SESSION_SECONDS,
    user: { id: user.userId, roles: user.roles, teamId: user.teamId, centreId: user.centreId },
  };
}

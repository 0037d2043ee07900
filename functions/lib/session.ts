import { jwtVerify, SignJWT } from "jose";
import * as z from "zod/mini";
import { Role } from "../../shared/enums.js";
import { keyFor } from "./secrets.js";

/** Our own session token. Short-lived: the mini-program logs in again silently with wx.login. */
export const SESSION_SECONDS = 2 * 60 * 60;
const ISSUER = "jiayi";

export const SessionClaims = z.object({
  sub: z.string(),
  roles: z.array(Role),
  teamId: z.optional(z.string()),
  centreId: z.optional(z.string()),
});
export type Session = { userId: string; roles: Role[]; teamId?: string; centreId?: string };

export async function issueSession(session: Session): Promise<string> {
  return new SignJWT({ roles: session.roles, teamId: session.teamId, centreId: session.centreId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(session.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_SECONDS}s`)
    .sign(await keyFor("jwt"));
}

/** Returns the session, or undefined for any token that is malformed, forged or expired. */
export async function verifySession(token: string): Promise<Session | undefined> {
  // Outside the try: a key that cannot be loaded (Secrets Manager failing) is the service's
  // failure, answered as such, not every caller's token being wrong.
  const key = await keyFor("jwt");
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ["HS256"],
    });
    const claims = SessionClaims.parse(payload);
    return { userId: claims.sub, roles: claims.roles, teamId: claims.teamId, centreId: claims.centreId };
  } catch {
    return undefined;
  }
}

/** The answer of every login: our token plus who the user is. */
export async function loginResponse(user: Session) {
  return {
    token: await issueSession(user),
    expiresIn: SESSION_SECONDS,
    user: { id: user.userId, roles: user.roles, teamId: user.teamId, centreId: user.centreId },
  };
}

import { listResidentContracts } from "../../data/contracts-repo.js";
import { getResident } from "../../data/identity-repo.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { actsFor, isManagerOf, isStaffOf } from "../../services/access.js";
import { contractView } from "../../services/contracts.js";

/** The resident's side sees everything; a team sees only its own contracts; a manager their centre's. */
export const handler = httpHandler("listResidentContracts", async ({ session, params, query }) => {
  const own = await actsFor(session, params.residentId);
  const resident = own ? undefined : await getResident(params.residentId);
  const manager = resident ? isManagerOf(session, resident.centreId) : false;
  const page = await listResidentContracts(params.residentId, query.limit, query.cursor);
  const visible = own || manager ? page.items : page.items.filter((c) => isStaffOf(session, c.teamId));
  if (!own && !manager && (visible.length === 0 || !resident)) throw forbidden("无权查看该居民的签约");
  return { items: visible.map(contractView), nextCursor: page.nextCursor };
});

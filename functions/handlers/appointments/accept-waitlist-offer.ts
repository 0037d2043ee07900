import { ApiError, notFound } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { actsFor } from "../../services/access.js";
import { book } from "../../services/appointments.js";
import { getOffer } from "../../services/waitlist.js";

export const handler = httpHandler("acceptWaitlistOffer", async ({ session, params }) => {
  const offer = await getOffer(params.offerId);
  if (!offer || !(await actsFor(session, offer.residentId))) throw notFound("候补邀请不存在");
  if (offer.status !== "open" || offer.expiresAtIso <= new Date().toISOString()) {
    throw new ApiError(409, "OFFER_EXPIRED", "候补名额已过期或已使用");
  }
  return book(session, { slotId: offer.slotId, residentId: offer.residentId }, undefined, offer.offerId);
});

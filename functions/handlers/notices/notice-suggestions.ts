import { todayInChina } from "../../../shared/dates.js";
import { suggestionsFor } from "../../domain/notices.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("noticeSuggestions", async ({ session, params, query }) => {
  if (session.centreId !== params.centreId) throw forbidden("只能查看本中心的建议");
  const month = Number((query.month ?? todayInChina()).slice(5, 7));
  return { items: suggestionsFor(month), nextCursor: null };
});

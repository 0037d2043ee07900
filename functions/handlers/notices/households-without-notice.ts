import { yearInChina } from "../../../shared/dates.js";
import { httpHandler } from "../../lib/http.js";
import { householdsWithoutNotice } from "../../services/notices.js";

export const handler = httpHandler("householdsWithoutNotice", async ({ session, params, query }) =>
  householdsWithoutNotice(
    session,
    params.centreId,
    query.year ?? Number(yearInChina()),
    query.limit,
    query.cursor,
  ),
);

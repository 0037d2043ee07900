import { listPackages } from "../../data/centres-repo.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("listPackages", async ({ params, query }) =>
  listPackages(params.centreId, query.limit, query.cursor),
);

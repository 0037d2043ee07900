import { databaseReachable } from "../../data/health-repo.js";
import { ApiError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("health", async () => {
  if (!(await databaseReachable())) throw new ApiError(503, "DATABASE_UNAVAILABLE", "数据库暂时不可用");
  return { status: "ok" as const };
});

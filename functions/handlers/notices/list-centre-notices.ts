import { listCentreNotices } from "../../data/notices-repo.js";
import { toNoticeView } from "../../domain/notices.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("listCentreNotices", async ({ session, params, query }) => {
  if (session.centreId !== params.centreId) throw forbidden("只能查看本中心的通知");
  const page = await listCentreNotices(params.centreId, query.limit, query.cursor);
  return { items: page.items.map(toNoticeView), nextCursor: page.nextCursor };
});

import { NOTICE_KIND_NAMES } from "../../../shared/schemas/notices.js";
import { listCentreNotices } from "../../data/notices-repo.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("listCentreNotices", async ({ session, params, query }) => {
  if (session.centreId !== params.centreId) throw forbidden("只能查看本中心的通知");
  const page = await listCentreNotices(params.centreId, query.limit, query.cursor);
  return {
    items: page.items.map((n) => ({
      noticeId: n.noticeId,
      kind: n.kind,
      kindName: NOTICE_KIND_NAMES[n.kind],
      title: n.title,
      body: n.body,
      centreId: n.centreId,
      teamId: n.teamId ?? null,
      audience: n.audience,
      publishAt: n.publishAt,
      status: n.status,
      lecture:
        n.lecture && n.lectureCapacity !== undefined
          ? {
              ...n.lecture,
              capacity: n.lectureCapacity,
              registered: n.lectureRegistered,
              remaining: Math.max(0, n.lectureCapacity - n.lectureRegistered),
            }
          : null,
    })),
    nextCursor: page.nextCursor,
  };
});

import { setPopulation } from "../../data/centres-repo.js";
import { fieldError, forbidden, notFound } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { isManagerOf } from "../../services/access.js";

export const handler = httpHandler("updateCentrePopulation", async ({ session, params, body }) => {
  if (!isManagerOf(session, params.centreId)) throw forbidden("只能设置本中心的人口数据");
  if (body.priority > body.residents) throw fieldError("priority", "重点人群人数不能多于常住人口");
  if (!(await setPopulation(params.centreId, body))) throw notFound("中心不存在");
  return body;
});

import { reportCsv } from "../../domain/reports.js";
import { httpHandler, RawResponse } from "../../lib/http.js";
import { districtMonthlyReport } from "../../services/district.js";
import { reportXlsx } from "../../services/reports.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const handler = httpHandler("districtMonthlyReport", async ({ session, params, query }) => {
  const report = await districtMonthlyReport(session, params.districtId, query.month);
  const filename = `district-report-${report.districtId}-${report.month}`;
  const rows = { teams: report.centres, total: report.total };
  if (query.format === "csv")
    return new RawResponse(200, reportCsv(rows, "社区卫生服务中心"), {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}.csv"`,
    });
  if (query.format === "xlsx")
    return new RawResponse(
      200,
      (
        await reportXlsx(
          { ...rows, month: report.month, generatedAt: report.generatedAt },
          "社区卫生服务中心",
        )
      ).toString("base64"),
      { "content-type": XLSX, "content-disposition": `attachment; filename="${filename}.xlsx"` },
      true,
    );
  return report;
});

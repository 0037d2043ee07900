import { httpHandler, RawResponse } from "../../lib/http.js";
import { monthlyReport, reportCsv, reportXlsx } from "../../services/reports.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const handler = httpHandler("monthlyReport", async ({ session, params, query }) => {
  const report = await monthlyReport(session, params.centreId, query.month);
  const filename = `monthly-report-${report.centreId}-${report.month}`;
  if (query.format === "csv")
    return new RawResponse(200, reportCsv(report), {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}.csv"`,
    });
  if (query.format === "xlsx")
    return new RawResponse(
      200,
      (await reportXlsx(report)).toString("base64"),
      { "content-type": XLSX, "content-disposition": `attachment; filename="${filename}.xlsx"` },
      true,
    );
  return report;
});

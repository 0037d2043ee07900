import { request } from "./request";
import type { DistrictMonthlyReport, DistrictSatisfaction } from "./types";

const enc = encodeURIComponent;

/** districtMonthlyReport (JSON) — one row per centre plus the district total, with coverage. */
export function districtMonthlyReport(districtId: string, month: string): Promise<DistrictMonthlyReport> {
  return request<DistrictMonthlyReport>({
    path: `/v1/districts/${enc(districtId)}/reports/monthly`,
    query: { month, format: "json" },
  });
}

/** districtSatisfaction — averages per centre (month, dimension); null under 5 responses. */
export function districtSatisfaction(
  districtId: string,
  options: { groupBy: "centre" | "month" | "dimension"; from?: string; to?: string },
): Promise<DistrictSatisfaction> {
  return request<DistrictSatisfaction>({
    path: `/v1/districts/${enc(districtId)}/satisfaction`,
    query: { groupBy: options.groupBy, from: options.from, to: options.to },
  });
}

/** The API path of the district report file, for `downloadFile`. */
export function districtReportPath(districtId: string, month: string, format: "csv" | "xlsx") {
  return {
    path: `/v1/districts/${enc(districtId)}/reports/monthly`,
    query: { month, format },
    fileName: `区家庭医生服务月报-${month}.${format}`,
  };
}

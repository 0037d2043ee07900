import { View } from "@tarojs/components";
import { useEffect, useRef, useState } from "react";
import { type Bar, BarChart } from "../../components/BarChart";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { ReportDownloads } from "../../components/ReportDownloads";
import { useRequireLogin } from "../../lib/auth-guard";
import { addMonths, monthEnd, thisMonth } from "../../lib/notices";
import { averageText, COVERAGE_TARGETS, MIN_RESPONSES, monthLabel, percentText } from "../../lib/surveys";
import { useAsync } from "../../lib/use-async";
import { districtMonthlyReport, districtReportPath, districtSatisfaction } from "../../services/district";
import { getMe } from "../../services/me";
import type { DistrictMonthlyReport, DistrictSatisfaction, ReportRow } from "../../services/types";

const MONTHS = 6;

interface DistrictData {
  districtId: string | null;
  month: string;
  report: DistrictMonthlyReport | null;
  satisfaction: DistrictSatisfaction | null;
}

async function loadDistrict(month: string): Promise<DistrictData> {
  const me = await getMe();
  const districtId = me.user.roles.includes("district") ? (me.user.districtId ?? null) : null;
  if (!districtId) return { districtId, month, report: null, satisfaction: null };
  const [report, satisfaction] = await Promise.all([
    districtMonthlyReport(districtId, month),
    districtSatisfaction(districtId, { groupBy: "centre", from: `${month}-01`, to: monthEnd(month) }),
  ]);
  return { districtId, month, report, satisfaction };
}

/** One centre's (or the district's) row of the monthly report. */
function RowCard({ row, total }: { row: ReportRow; total?: boolean }) {
  return (
    <View className={`district-row${total ? " district-row--total" : ""}`} id={`district-row-${row.key}`}>
      <View className="district-row__name" id={`district-row-${row.key}-name`}>
        {total ? "全区合计" : row.name}
      </View>
      <View className="muted" id={`district-row-${row.key}-figures`}>
        签约 {row.signedPersons} 人 / {row.signedHouseholds} 户 · 重点人群 {row.prioritySigned} 人（
        {percentText(row.prioritySigningRate)}）
      </View>
      <View className="muted">
        新签 {row.contractsNew} · 续签 {row.contractsRenewed} · 解约 {row.contractsTerminated} · 履约{" "}
        {row.servicesDelivered}（{percentText(row.fulfilmentRate)}）
      </View>
      <View className="muted">
        预约 {row.appointmentsBooked} · 完成 {row.appointmentsCompleted} · 讲座 {row.lectures} · 评价{" "}
        {row.satisfactionResponses}（{averageText(row.satisfactionAverage)}）
      </View>
      <View className="muted">
        低分 {row.lowScores} · 已回访 {row.lowScoresFollowedUp} · 已解决 {row.lowScoresResolved}
      </View>
    </View>
  );
}

export default function DistrictPage() {
  const loggedIn = useRequireLogin();
  const [month, setMonth] = useState(() => thisMonth());
  const state = useAsync(() => loadDistrict(month), loggedIn);
  const first = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new month reloads everything once
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    state.reload();
  }, [month]);

  const data = state.data;
  const reportOf = data?.districtId ? { id: data.districtId, month: data.month } : null;
  const reportPath = reportOf
    ? (format: "csv" | "xlsx") => districtReportPath(reportOf.id, reportOf.month, format)
    : null;
  const report = data?.report;
  const names = new Map((report?.centres ?? []).map((c) => [c.key, c.name]));
  const coverage = report?.coverage ?? [];
  const coverageBars = (which: "overall" | "priority"): Bar[] =>
    coverage.map((c) => ({
      key: c.key,
      label: c.key === "total" ? "全区" : (names.get(c.key) ?? c.key),
      value: c[which],
      note: which === "overall" ? `常住 ${c.population} 人` : `重点人群 ${c.priorityPopulation} 人`,
    }));
  const unset = (report?.centres ?? []).filter((c) => !coverage.some((v) => v.key === c.key));
  const satisfactionBars: Bar[] = (data?.satisfaction?.groups ?? []).map((g) => ({
    key: g.key,
    label: g.name ?? names.get(g.key) ?? g.key,
    value: g.average,
    note: `${g.responses} 份`,
  }));

  return (
    <PageShell
      title={report ? `${report.districtName}家庭医生服务` : "区卫健委"}
      subtitle="辖区各中心月报、签约覆盖与满意度（只读）"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="district"
    >
      {data && !data.districtId ? (
        <EmptyState title="仅区卫健委账号可以查看" description="请使用区卫健委账号登录。" />
      ) : null}
      {data?.districtId && report ? (
        <>
          <OptionChips<string>
            idPrefix="district-month"
            options={Array.from({ length: MONTHS }, (_, i) => addMonths(thisMonth(), -i)).map((m) => ({
              value: m,
              label: m === thisMonth() ? "本月" : monthLabel(m),
            }))}
            value={month}
            onChange={setMonth}
          />
          {state.loading ? <View className="muted">正在更新…</View> : null}

          <View className="card" id="district-report">
            <View className="section-title">
              {report.month} 月报（{report.centres.length} 个中心）
            </View>
            {report.centres.length === 0 ? (
              <View className="muted" id="district-report-empty">
                辖区暂无中心
              </View>
            ) : null}
            {report.centres.map((row) => (
              <RowCard key={row.key} row={row} />
            ))}
            <RowCard row={report.total} total />
            <ReportDownloads idPrefix="district" pathFor={reportPath} />
          </View>

          <View className="card" id="district-coverage">
            <View className="section-title">签约覆盖率与 2035 年目标</View>
            {coverage.length > 0 ? (
              <>
                <View className="muted">总体（目标 ≥ {percentText(COVERAGE_TARGETS.overall)}）</View>
                <BarChart
                  id="district-coverage-overall"
                  bars={coverageBars("overall")}
                  max={1}
                  format={(v) => percentText(v)}
                  target={{
                    value: COVERAGE_TARGETS.overall,
                    label: `2035 年目标 ${percentText(COVERAGE_TARGETS.overall)}`,
                  }}
                />
                <View className="muted">重点人群（目标 ≥ {percentText(COVERAGE_TARGETS.priority)}）</View>
                <BarChart
                  id="district-coverage-priority"
                  bars={coverageBars("priority")}
                  max={1}
                  format={(v) => percentText(v)}
                  target={{
                    value: COVERAGE_TARGETS.priority,
                    label: `2035 年目标 ${percentText(COVERAGE_TARGETS.priority)}`,
                  }}
                />
              </>
            ) : null}
            {unset.length > 0 ? (
              <View className="hint" id="district-coverage-unset">
                未设置辖区人口，无法计算覆盖率：{unset.map((c) => c.name).join("、")}
              </View>
            ) : null}
          </View>

          <View className="card" id="district-satisfaction">
            <View className="section-title">各中心满意度</View>
            {satisfactionBars.length > 0 ? (
              <BarChart
                id="district-satisfaction-chart"
                bars={satisfactionBars}
                max={5}
                format={(v) => v.toFixed(1)}
              />
            ) : (
              <View className="muted" id="district-satisfaction-empty">
                本月暂无评价
              </View>
            )}
            <View className="muted">不足 {MIN_RESPONSES} 份评价的中心不显示平均分。</View>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import { useEffect, useRef, useState } from "react";
import { type Bar, BarChart, ColumnChart } from "../../components/BarChart";
import { LinkCell } from "../../components/LinkCell";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { ReportDownloads } from "../../components/ReportDownloads";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { addMonths, dateTimeText, monthEnd, thisMonth } from "../../lib/notices";
import {
  averageText,
  COVERAGE_TARGETS,
  DIMENSION_LABELS,
  DIMENSIONS,
  MIN_RESPONSES,
  monthLabel,
  percentText,
} from "../../lib/surveys";
import { useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import { listLowScores, monthlyReport, monthlyReportPath, satisfactionScores } from "../../services/surveys";
import type { Dimension, LowScore, MonthlyReport, SatisfactionScores } from "../../services/types";

const TREND_MONTHS = 6;

interface DashboardData {
  centreId: string | null;
  manager: boolean;
  month: string;
  trend: SatisfactionScores | null;
  teams: SatisfactionScores | null;
  dimensions: SatisfactionScores | null;
  report: MonthlyReport | null;
  lowScores: LowScore[];
}

async function loadDashboard(month: string): Promise<DashboardData> {
  const me = await getMe();
  const centreId = me.user.centreId ?? null;
  const manager = me.user.roles.includes("manager");
  const empty = { trend: null, teams: null, dimensions: null, report: null, lowScores: [] };
  if (!manager || !centreId) return { centreId, manager, month, ...empty };
  const from = `${month}-01`;
  const to = monthEnd(month);
  const [trend, teams, dimensions, report, low] = await Promise.all([
    satisfactionScores(centreId, {
      groupBy: "month",
      from: `${addMonths(month, -(TREND_MONTHS - 1))}-01`,
      to,
    }),
    satisfactionScores(centreId, { groupBy: "team", from, to }),
    satisfactionScores(centreId, { groupBy: "dimension", from, to }),
    monthlyReport(centreId, month),
    listLowScores(centreId, { limit: 20 }),
  ]);
  return { centreId, manager, month, trend, teams, dimensions, report, lowScores: low.items };
}

const score = (v: number) => v.toFixed(1);
const responsesNote = (n: number) => `${n} 份`;

/** Every month of the trend, with the months nobody answered shown as empty. */
function trendBars(trend: SatisfactionScores, month: string): Bar[] {
  const byMonth = new Map(trend.groups.map((g) => [g.key, g]));
  return Array.from({ length: TREND_MONTHS }, (_, i) => {
    const key = addMonths(month, i - (TREND_MONTHS - 1));
    const g = byMonth.get(key);
    return { key, label: monthLabel(key), value: g?.average ?? null, note: responsesNote(g?.responses ?? 0) };
  });
}

function dimensionBars(scores: SatisfactionScores): Bar[] {
  const byKey = new Map(scores.groups.map((g) => [g.key, g]));
  return DIMENSIONS.map((d) => {
    const g = byKey.get(d);
    return {
      key: d,
      label: DIMENSION_LABELS[d],
      value: g?.average ?? null,
      note: responsesNote(g?.responses ?? 0),
    };
  });
}

function teamBars(scores: SatisfactionScores, report: MonthlyReport | null): Bar[] {
  const names = new Map((report?.teams ?? []).map((t) => [t.key, t.name]));
  return scores.groups
    .filter((g) => g.responses > 0)
    .sort((a, b) => b.responses - a.responses)
    .map((g) => ({
      key: g.key,
      label: g.name ?? names.get(g.key) ?? g.key,
      value: g.average,
      note: responsesNote(g.responses),
    }));
}

function lowText(item: LowScore): string {
  return item.lowRatings
    .map((r) => `${r.dimension ? DIMENSION_LABELS[r.dimension as Dimension] : r.questionId} ${r.value} 星`)
    .join("、");
}

export default function DashboardPage() {
  const loggedIn = useRequireLogin();
  const [month, setMonth] = useState(() => thisMonth());
  const state = useAsync(() => loadDashboard(month), loggedIn);
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
  const reportOf = data?.centreId ? { id: data.centreId, month: data.month } : null;
  const reportPath = reportOf
    ? (format: "csv" | "xlsx") => monthlyReportPath(reportOf.id, reportOf.month, format)
    : null;
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => addMonths(thisMonth(), -i));

  const total = data?.report?.total;
  const coverageBars: Bar[] = data?.report
    ? [...data.report.teams, data.report.total].map((row) => ({
        key: row.key,
        label: row.key === "total" ? "全中心" : row.name,
        value: row.prioritySigningRate,
        note: `${row.prioritySigned}/${row.signedPersons} 人`,
      }))
    : [];

  // Chronic patients on schedule per team (chronic patients − those behind, from the work-list).
  const careBars: Bar[] = data?.report
    ? [...data.report.teams, data.report.total]
        .filter((row) => row.chronicPatients > 0)
        .map((row) => ({
          key: row.key,
          label: row.key === "total" ? "全中心" : row.name,
          value: row.chronicOnScheduleRate,
          note: `${row.chronicOnSchedule}/${row.chronicPatients} 人`,
        }))
    : [];

  return (
    <PageShell
      title="满意度与月报"
      subtitle="满意度评分、签约覆盖和家庭医生服务月报"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="dashboard"
    >
      {data && !data.manager ? (
        <EmptyState title="仅中心管理员可以查看" description="请使用中心管理员账号登录。" />
      ) : null}
      {data?.manager ? (
        <>
          <OptionChips<string>
            idPrefix="dash-month"
            options={months.map((m) => ({ value: m, label: m === thisMonth() ? `本月` : monthLabel(m) }))}
            value={month}
            onChange={setMonth}
          />
          {state.loading ? <View className="muted">正在更新…</View> : null}

          <View className="card" id="dash-summary">
            <View className="section-title">{data.month} 满意度</View>
            <View className="stats">
              <View className="stats__cell">
                <View className="stats__value" id="dash-total-responses">
                  {data.teams?.total.responses ?? 0}
                </View>
                <View className="stats__label">评价份数</View>
              </View>
              <View className="stats__cell">
                <View
                  className={`stats__value${data.teams?.total.average == null ? " stats__value--none" : ""}`}
                  id="dash-total-average"
                >
                  {averageText(data.teams?.total.average)}
                </View>
                <View className="stats__label">平均分（满分 5）</View>
              </View>
            </View>
            <View className="muted">不足 {MIN_RESPONSES} 份评价的分组不显示平均分，以免识别到个人。</View>
          </View>

          <View className="card" id="dash-trend">
            <View className="section-title">近 6 个月评分趋势</View>
            {data.trend ? (
              <ColumnChart id="chart-trend" bars={trendBars(data.trend, data.month)} max={5} format={score} />
            ) : null}
          </View>

          <View className="card" id="dash-teams">
            <View className="section-title">各团队评分对比</View>
            {data.teams && teamBars(data.teams, data.report).length > 0 ? (
              <BarChart id="chart-teams" bars={teamBars(data.teams, data.report)} max={5} format={score} />
            ) : (
              <View className="muted" id="chart-teams-empty">
                本月暂无评价
              </View>
            )}
          </View>

          <View className="card" id="dash-dimensions">
            <View className="section-title">分维度评分</View>
            {data.dimensions ? (
              <BarChart id="chart-dimensions" bars={dimensionBars(data.dimensions)} max={5} format={score} />
            ) : null}
          </View>

          <View className="card" id="dash-coverage">
            <View className="section-title">签约覆盖与 2035 年目标</View>
            {total ? (
              <>
                <View className="stats">
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-signed-persons">
                      {total.signedPersons}
                    </View>
                    <View className="stats__label">签约人数</View>
                  </View>
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-signed-households">
                      {total.signedHouseholds}
                    </View>
                    <View className="stats__label">签约户数</View>
                  </View>
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-priority-rate">
                      {percentText(total.prioritySigningRate)}
                    </View>
                    <View className="stats__label">重点人群占比</View>
                  </View>
                </View>
                {data?.report?.coverage ? (
                  <BarChart
                    id="chart-coverage-targets"
                    bars={[
                      {
                        key: "overall",
                        label: `签约覆盖率（目标 ${percentText(data.report.coverage.targets.overall)}）`,
                        value: data.report.coverage.overall,
                        note: `${total.signedPersons}/${data.report.coverage.population} 人`,
                      },
                      {
                        key: "priority",
                        label: `重点人群覆盖率（目标 ${percentText(data.report.coverage.targets.priority)}）`,
                        value: data.report.coverage.priority,
                        note: `${total.prioritySigned}/${data.report.coverage.priorityPopulation} 人`,
                      },
                    ]}
                    max={1}
                    format={(v) => percentText(v)}
                  />
                ) : (
                  <View className="hint">尚未设置辖区人口，无法计算签约覆盖率。</View>
                )}
                <View className="section-title">
                  重点人群签约（目标 ≥ {percentText(COVERAGE_TARGETS.priority)}）
                </View>
                <BarChart
                  id="chart-coverage"
                  bars={coverageBars}
                  max={1}
                  format={(v) => percentText(v)}
                  emptyText="暂无签约"
                  target={{
                    value: COVERAGE_TARGETS.priority,
                    label: `2035 年目标 ${percentText(COVERAGE_TARGETS.priority)}`,
                  }}
                />
                {/* Agrees with the bars above: the figure when the population is known; otherwise the
                    hint above already said it cannot be computed, once. */}
                {data.report?.coverage ? (
                  <View className="notice notice--info" id="dash-coverage-overall">
                    总体签约覆盖率 {percentText(data.report.coverage.overall)}（目标 ≥{" "}
                    {percentText(COVERAGE_TARGETS.overall)}），重点人群{" "}
                    {percentText(data.report.coverage.priority)}（目标 ≥{" "}
                    {percentText(COVERAGE_TARGETS.priority)}）
                  </View>
                ) : null}
              </>
            ) : null}
          </View>

          <View className="card" id="dash-care">
            <View className="section-title">主动服务（来自团队待办）</View>
            {total ? (
              <>
                <View className="stats">
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-chronic-patients">
                      {total.chronicPatients}
                    </View>
                    <View className="stats__label">慢病患者</View>
                  </View>
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-chronic-on-schedule">
                      {percentText(total.chronicOnScheduleRate)}
                    </View>
                    <View className="stats__label">慢病随访按期率</View>
                  </View>
                  <View className="stats__cell">
                    <View className="stats__value" id="dash-assessment-rate">
                      {percentText(total.assessmentRate)}
                    </View>
                    <View className="stats__label">年度评估完成率</View>
                  </View>
                </View>
                {careBars.length > 0 ? (
                  <BarChart
                    id="chart-chronic-on-schedule"
                    bars={careBars}
                    max={1}
                    format={(v) => percentText(v)}
                  />
                ) : (
                  <View className="muted" id="chart-chronic-on-schedule-empty">
                    暂无签约的慢病患者
                  </View>
                )}
              </>
            ) : null}
          </View>

          <View className="card" id="dash-low">
            <View className="section-title">低分评价（≤ 2 星）待回访</View>
            {data.lowScores.length === 0 ? (
              <View className="muted" id="dash-low-empty">
                暂无低分评价
              </View>
            ) : null}
            {data.lowScores.map((item) => (
              <View key={item.invitationId} className="low" id={`dash-low-${item.invitationId}`}>
                <View className="low__head">
                  <View className="low__ratings">{lowText(item)}</View>
                  <View className="muted">{dateTimeText(item.submittedAt)}</View>
                </View>
                {item.comments.length > 0 ? (
                  <View className="low__comment">{item.comments.map((c) => `“${c}”`).join(" ")}</View>
                ) : null}
              </View>
            ))}
          </View>

          <View className="card" id="dash-report">
            <View className="section-title">{data.month} 家庭医生服务月报</View>
            {total ? (
              <View className="muted" id="dash-report-summary">
                预约 {total.appointmentsBooked} · 完成 {total.appointmentsCompleted} · 通知{" "}
                {total.noticesSent} · 讲座 {total.lectures} · 评价 {total.satisfactionResponses}
              </View>
            ) : null}
            <ReportDownloads idPrefix="dash" pathFor={reportPath} />
          </View>

          <View className="card cells" id="dash-links">
            <LinkCell
              id="dash-to-survey-create"
              title="创建问卷"
              description="向团队或全中心居民发放满意度问卷"
              onClick={() => navigate(PAGES.surveyCreate)}
            />
            <LinkCell
              id="dash-to-survey-results"
              title="问卷结果"
              description="回复率、答题分布、12 个月趋势"
              onClick={() => navigate(PAGES.surveyResults)}
            />
            <LinkCell
              id="dash-to-follow-ups"
              title="低分回访"
              description="安排回访、登记结果并结案"
              onClick={() => navigate(PAGES.followUps)}
            />
            <LinkCell
              id="dash-to-my-follow-ups"
              title="我的回访"
              description="由您本人回访的低分评价"
              onClick={() => navigate(PAGES.myFollowUps)}
            />
            <LinkCell
              id="dash-to-settings"
              title="中心设置"
              description="审核时限、取消截止、提醒天数等本地规则"
              onClick={() => navigate(PAGES.settings)}
            />
            <LinkCell
              id="dash-to-publish"
              title="发布全中心通知"
              description="季节性健康提示、健康讲座"
              onClick={() => navigate(PAGES.publishNotice)}
            />
            <LinkCell
              id="dash-to-notices"
              title="通知与讲座统计"
              description="送达、已读、报名、签到"
              onClick={() => navigate(PAGES.teamNotices)}
            />
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

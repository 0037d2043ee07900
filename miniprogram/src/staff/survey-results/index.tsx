import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { type Bar, BarChart, ColumnChart } from "../../components/BarChart";
import { LoadMore } from "../../components/LoadMore";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { distributionBars, TRIGGER_LABELS, WITHHELD } from "../../lib/manager-surveys";
import { addMonths, dateTimeText, monthEnd, thisMonth } from "../../lib/notices";
import { DIMENSION_LABELS, DIMENSIONS, monthLabel, percentText } from "../../lib/surveys";
import { useAsync, useLoadMore } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import { listCentreSurveys, satisfactionScores, surveyResults } from "../../services/surveys";
import type {
  Dimension,
  QuestionResult,
  SatisfactionScores,
  Survey,
  SurveyResults,
} from "../../services/types";

const TREND_MONTHS = 12;

interface ResultsData {
  centreId: string | null;
  results: SurveyResults | null;
  surveys: Survey[];
  cursor: string | null;
}

async function loadResults(surveyId: string): Promise<ResultsData> {
  const me = await getMe();
  const centreId = me.user.roles.includes("manager") ? (me.user.centreId ?? null) : null;
  if (!centreId) return { centreId, results: null, surveys: [], cursor: null };
  if (surveyId)
    return { centreId, results: await surveyResults(centreId, surveyId), surveys: [], cursor: null };
  const page = await listCentreSurveys(centreId, { limit: 20 });
  return { centreId, results: null, surveys: page.items, cursor: page.nextCursor };
}

const score = (v: number) => v.toFixed(1);

/** One question's breakdown: the star distribution or the choice counts, or the floor's message. */
function QuestionBreakdown({ id, q }: { id: string; q: QuestionResult }) {
  const rating = q.type === "rating";
  const choice = q.type === "choice" || q.type === "multiple_choice";
  const withheld = (rating && !q.distribution) || (choice && !q.counts);
  const bars: Bar[] =
    rating && q.distribution
      ? distributionBars(q.distribution)
      : choice && q.counts
        ? q.counts.map((c, i) => ({ key: String(i), label: c.option, value: c.count }))
        : [];
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  return (
    <View className="result-question" id={id}>
      <View className="result-question__text">
        {q.text}
        {rating && q.dimension ? <View className="muted">{DIMENSION_LABELS[q.dimension]}</View> : null}
      </View>
      {q.type === "text" ? <View className="muted">文字意见见下方“居民意见”</View> : null}
      {withheld ? (
        <View className="muted result-withheld" id={`${id}-withheld`}>
          {WITHHELD}
        </View>
      ) : null}
      {bars.length > 0 ? (
        <>
          {rating && q.average != null ? (
            <View className="muted" id={`${id}-average`}>
              平均 {score(q.average)} 星
            </View>
          ) : null}
          <BarChart id={`${id}-chart`} bars={bars} max={max} format={(v) => `${v} 份`} />
        </>
      ) : null}
    </View>
  );
}

function Comments({ id, comments }: { id: string; comments: string[] | null }) {
  if (comments === null)
    return (
      <View className="muted result-withheld" id={`${id}-withheld`}>
        {WITHHELD}
      </View>
    );
  if (comments.length === 0)
    return (
      <View className="muted" id={`${id}-empty`}>
        暂无文字意见
      </View>
    );
  return (
    <View id={id}>
      {comments.map((c, i) => (
        // Comments carry no identity and may repeat: their position is their key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <View key={i} className="low__comment">
          “{c}”
        </View>
      ))}
    </View>
  );
}

/** The 12-month trend of one team (or the centre) on one dimension, from satisfactionScores. */
function Trend({ centreId, teamId }: { centreId: string; teamId: string | null }) {
  const [dimension, setDimension] = useState<Dimension>("overall");
  const month = thisMonth();
  const first = addMonths(month, -(TREND_MONTHS - 1));
  // Loads once: the parent keys this component by team, so another team mounts a fresh one.
  const state = useAsync<SatisfactionScores>(() =>
    satisfactionScores(centreId, {
      groupBy: "month",
      from: `${first}-01`,
      to: monthEnd(month),
      teamId: teamId ?? undefined,
    }),
  );
  const byMonth = new Map((state.data?.groups ?? []).map((g) => [g.key, g]));
  const bars: Bar[] = Array.from({ length: TREND_MONTHS }, (_, i) => {
    const m = addMonths(first, i);
    const d = byMonth.get(m)?.dimensions[dimension];
    return { key: m, label: monthLabel(m), value: d?.average ?? null, note: `${d?.responses ?? 0} 份` };
  });
  return (
    <View className="card" id="results-trend">
      <View className="section-title">近 12 个月趋势{teamId ? "（所选团队）" : "（全中心）"}</View>
      <OptionChips<Dimension>
        idPrefix="results-trend-dim"
        options={DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))}
        value={dimension}
        onChange={setDimension}
      />
      {state.error ? (
        <View className="notice notice--error" id="results-trend-error" onClick={state.reload}>
          {state.error}（点此重试）
        </View>
      ) : state.loading && !state.data ? (
        <View className="muted">正在加载…</View>
      ) : (
        <>
          {/* Twelve narrow columns: a dash for a withheld month, explained once below. */}
          <ColumnChart id="results-trend-chart" bars={bars} max={5} format={score} emptyText="—" />
          <View className="muted">“—”：当月不足 5 份，不显示平均分</View>
        </>
      )}
    </View>
  );
}

export default function SurveyResultsPage() {
  const loggedIn = useRequireLogin();
  const [surveyId] = useState(() => Taro.getCurrentInstance().router?.params?.surveyId ?? "");
  const state = useAsync(() => loadResults(surveyId), loggedIn);
  const [team, setTeam] = useState<string>("all");
  const data = state.data;
  const r = data?.results;
  const more = useLoadMore(state, (d) =>
    d.centreId && d.cursor
      ? listCentreSurveys(d.centreId, { cursor: d.cursor, limit: 20 }).then((page) => ({
          ...d,
          surveys: [...d.surveys, ...page.items],
          cursor: page.nextCursor,
        }))
      : null,
  );

  const teamRows = r?.teams ?? [];
  const picked = teamRows.find((t) => (t.teamId ?? "none") === team);
  const rateBars: Bar[] = teamRows.map((t) => ({
    key: t.teamId ?? "none",
    label: t.name ?? "未指定团队",
    value: t.responseRate,
    note: `${t.responded}/${t.invited} 份`,
  }));

  return (
    <PageShell
      title={r ? r.title : "问卷结果"}
      subtitle={
        r
          ? `${TRIGGER_LABELS[r.trigger] ?? r.trigger}${r.closesAt ? ` · ${dateTimeText(r.closesAt)} 截止` : ""}`
          : "本中心创建的问卷"
      }
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="results"
    >
      {data && !data.centreId ? (
        <EmptyState title="仅中心管理员可以查看" description="请使用中心管理员账号登录。" />
      ) : null}

      {data?.centreId && !surveyId ? (
        <View className="card" id="results-surveys">
          {data.surveys.length === 0 ? (
            <EmptyState
              title="还没有创建问卷"
              action={
                <Button type="primary" id="results-to-create" onClick={() => navigate(PAGES.surveyCreate)}>
                  创建问卷
                </Button>
              }
            />
          ) : null}
          {data.surveys.map((s) => (
            <View
              key={s.surveyId}
              className="list-row"
              id={`results-survey-${s.surveyId}`}
              onClick={() => navigate(`${PAGES.surveyResults}?surveyId=${encodeURIComponent(s.surveyId)}`)}
            >
              <View className="list-row__title">{s.title}</View>
              <View className="muted">
                {TRIGGER_LABELS[s.trigger] ?? s.trigger} · {dateTimeText(s.createdAt)}
                {s.audienceSize !== undefined ? ` · 邀请约 ${s.audienceSize} 人` : ""}
              </View>
            </View>
          ))}
          <LoadMore
            id="results-more"
            hasMore={!!data.cursor}
            loading={more.loading}
            onMore={() => void more.more()}
          />
        </View>
      ) : null}

      {data?.centreId && r ? (
        <>
          <View className="card" id="results-summary">
            <View className="stats">
              <View className="stats__cell">
                <View className="stats__value" id="results-invited">
                  {r.invited}
                </View>
                <View className="stats__label">邀请人数</View>
              </View>
              <View className="stats__cell">
                <View className="stats__value" id="results-responded">
                  {r.responded}
                </View>
                <View className="stats__label">已回复</View>
              </View>
              <View className="stats__cell">
                <View className="stats__value" id="results-rate">
                  {percentText(r.responseRate)}
                </View>
                <View className="stats__label">回复率</View>
              </View>
            </View>
            <View className="muted">
              每个分组不足 {r.minResponses} 份回复时不显示答题分布和意见，以免识别到个人。
            </View>
          </View>

          <View className="card" id="results-teams">
            <View className="section-title">各团队回复率</View>
            {rateBars.length > 0 ? (
              <BarChart id="results-teams-chart" bars={rateBars} max={1} format={percentText} emptyText="—" />
            ) : (
              <View className="muted" id="results-teams-empty">
                暂无邀请
              </View>
            )}
          </View>

          <View className="card" id="results-questions">
            <View className="section-title">答题分布</View>
            <OptionChips<string>
              idPrefix="results-team"
              options={[
                { value: "all", label: "全部" },
                ...teamRows.map((t) => ({ value: t.teamId ?? "none", label: t.name ?? "未指定团队" })),
              ]}
              value={team}
              onChange={setTeam}
            />
            {team !== "all" && picked && picked.questions === null ? (
              <View className="muted result-withheld" id="results-team-withheld">
                {WITHHELD}
              </View>
            ) : (
              (team === "all" ? r.questions : (picked?.questions ?? [])).map((q) => (
                <QuestionBreakdown key={q.questionId} id={`results-q-${q.questionId}`} q={q} />
              ))
            )}
            <View className="section-title">居民意见（匿名）</View>
            <Comments
              id="results-comments"
              comments={team === "all" ? r.comments : (picked?.comments ?? null)}
            />
          </View>

          <Trend
            key={team}
            centreId={data.centreId}
            teamId={team === "all" || team === "none" ? null : team}
          />
        </>
      ) : null}
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { EmptyState, PageShell } from "../../components/PageShell";
import { SurveyForm } from "../../components/SurveyForm";
import { Button } from "../../components/ui";
import { SERVICE_TYPE_LABELS } from "../../lib/appointments";
import { useRequireLogin } from "../../lib/auth-guard";
import { labelOf } from "../../lib/labels";
import { dateTimeText } from "../../lib/notices";
import { peopleOf } from "../../lib/people";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { ApiError } from "../../services/request";
import { PAGES } from "../../services/routes";
import { listMySurveys, submitSurveyResponse } from "../../services/surveys";
import type { MySurvey, SurveyAnswer } from "../../services/types";

async function loadSurveys() {
  const [me, list] = await Promise.all([getMe(), listMySurveys()]);
  const who: Record<string, string> = {};
  for (const p of peopleOf(me)) who[p.residentId] = p.self ? `本人 ${p.name}` : `${p.relation} ${p.name}`;
  return { items: list.items, who };
}

function aboutText(survey: MySurvey): string {
  const service = survey.about.serviceType
    ? labelOf(SERVICE_TYPE_LABELS, survey.about.serviceType)
    : survey.about.noticeId
      ? "健康讲座"
      : "家庭医生服务";
  return service;
}

/** Which questions a 400 named ("answers.2.value" or "answers.overall" → that question). */
function serverErrorsOf(error: unknown, survey: MySurvey, answers: SurveyAnswer[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    const parts = d.path.split(/[.[\]]/).filter(Boolean);
    const byId = survey.questions.find((q) => parts.includes(q.questionId));
    const index = parts.find((p) => /^\d+$/.test(p));
    const byIndex = index !== undefined ? answers[Number(index)]?.questionId : undefined;
    const questionId = byId?.questionId ?? byIndex;
    if (questionId) out[questionId] = d.message;
  }
  return out;
}

export default function SurveysPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadSurveys, loggedIn);
  const [open, setOpen] = useState<MySurvey | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MySurvey | null>(null);
  const data = state.data;

  const submit = async (survey: MySurvey, answers: SurveyAnswer[], contactConsent?: boolean) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setServerErrors({});
    try {
      await submitSurveyResponse(survey.invitationId, { answers, contactConsent });
      setDone(survey);
      setOpen(null);
      if (data)
        state.setData({ ...data, items: data.items.filter((s) => s.invitationId !== survey.invitationId) });
    } catch (err) {
      if (err instanceof ApiError && err.code === "ALREADY_ANSWERED") {
        setError("这份评价已经提交过了，感谢您的反馈。");
        state.reload();
        setOpen(null);
      } else {
        setServerErrors(serverErrorsOf(err, survey, answers));
        setError(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell
      title="满意度评价"
      subtitle="您的评价帮助家庭医生团队改进服务，评价内容仅用于服务质量管理"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="surveys"
    >
      {done ? (
        <View className="card success" id="survey-success">
          <View className="success__mark">✓</View>
          <View className="success__title">感谢您的评价</View>
          <View className="success__desc">您对「{aboutText(done)}」的评价已提交。</View>
          <View className="actions">
            <Button
              block
              type="primary"
              id="survey-success-home"
              onClick={() => void Taro.reLaunch({ url: PAGES.home }).catch(() => undefined)}
            >
              返回首页
            </Button>
            {data && data.items.length > 0 ? (
              <Button block fill="outline" id="survey-success-next" onClick={() => setDone(null)}>
                继续评价（还有 {data.items.length} 份）
              </Button>
            ) : null}
          </View>
        </View>
      ) : null}

      {!done && open ? (
        <View className="card" id="survey-open" data-invitation={open.invitationId}>
          <View className="section-title" id="survey-open-title">
            {open.title}
          </View>
          <View className="muted">
            {aboutText(open)} · {data?.who[open.residentId] ?? ""}
          </View>
          {error ? (
            <View className="notice notice--error" id="survey-error">
              {error}
            </View>
          ) : null}
          <SurveyForm
            survey={open}
            busy={busy}
            serverErrors={serverErrors}
            onSubmit={(answers, contactConsent) => void submit(open, answers, contactConsent)}
          />
          <Button block fill="none" id="survey-back" onClick={() => setOpen(null)}>
            稍后再评
          </Button>
        </View>
      ) : null}

      {!done && !open && data ? (
        <View id="survey-list">
          {error ? (
            <View className="notice notice--info" id="survey-error">
              {error}
            </View>
          ) : null}
          {data.items.length === 0 ? (
            <EmptyState title="暂无待评价的服务" description="每次就诊或参加讲座后，可以在这里为服务打分。" />
          ) : null}
          {data.items.map((survey) => {
            const id = `survey-${survey.invitationId}`;
            return (
              <View
                key={survey.invitationId}
                className="card"
                id={id}
                data-about={survey.about.appointmentId ?? ""}
              >
                <View className="section-title">{aboutText(survey)}</View>
                <View className="muted">{survey.title}</View>
                <View className="result__row">
                  <View className="result__label">评价人</View>
                  <View className="result__value">{data.who[survey.residentId] ?? "本人"}</View>
                </View>
                <View className="result__row">
                  <View className="result__label">请于此前评价</View>
                  <View className="result__value">{dateTimeText(survey.expiresAt)}</View>
                </View>
                <View className="actions">
                  <Button
                    block
                    type="primary"
                    id={`${id}-open`}
                    onClick={() => {
                      setError(null);
                      setServerErrors({});
                      setOpen(survey);
                    }}
                  >
                    去评价
                  </Button>
                </View>
              </View>
            );
          })}
        </View>
      ) : null}
    </PageShell>
  );
}

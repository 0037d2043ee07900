import { View } from "@tarojs/components";
import { useState } from "react";
import { AudiencePicker } from "../../components/AudiencePicker";
import { DateTimePicker } from "../../components/DateTimePicker";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button, Input, TextArea } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { todayInChina } from "../../lib/id-number";
import {
  checkSurveyDraft,
  emptySurveyDraft,
  hasErrors,
  nextQuestionKey,
  QUESTION_TYPE_LABELS,
  QUESTION_TYPES,
  type QuestionDraft,
  type QuestionType,
  type SurveyDraft,
  type SurveyDraftErrors,
  toCreateSurvey,
} from "../../lib/manager-surveys";
import { dateTimeText } from "../../lib/notices";
import { DIMENSION_LABELS, DIMENSIONS } from "../../lib/surveys";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { ApiError } from "../../services/request";
import { PAGES } from "../../services/routes";
import { listAllTeams } from "../../services/staff";
import { createSurvey } from "../../services/surveys";
import type { Dimension, Survey, Team } from "../../services/types";

interface Manager {
  centreId: string | null;
  teams: Team[];
}

async function loadManager(): Promise<Manager> {
  const me = await getMe();
  const centreId = me.user.roles.includes("manager") ? (me.user.centreId ?? null) : null;
  return { centreId, teams: centreId ? await listAllTeams(centreId) : [] };
}

const noErrors = (): SurveyDraftErrors => ({ byQuestion: {} });

/** A 400's details onto the form: "questions.2.text" names the third question, the rest by field. */
function serverErrors(error: unknown, draft: SurveyDraft): { errors: SurveyDraftErrors; other: string[] } {
  const errors = noErrors();
  const other: string[] = [];
  if (!(error instanceof ApiError) || error.details.length === 0)
    return { errors, other: [errorMessage(error)] };
  for (const d of error.details) {
    const parts = d.path.split(/[.[\]]/).filter(Boolean);
    const qi = parts.indexOf("questions");
    const index = qi >= 0 ? Number(parts[qi + 1]) : Number.NaN;
    const question = Number.isInteger(index) ? draft.questions[index] : undefined;
    if (question) errors.byQuestion[question.key] = d.message;
    else if (parts.includes("title")) errors.title = d.message;
    else if (parts.includes("teamId")) errors.teamId = d.message;
    else if (parts.includes("groups")) errors.groups = d.message;
    else if (parts.includes("publishAt")) errors.publishTime = d.message;
    else if (parts.includes("closesAt")) errors.closesDate = d.message;
    else other.push(d.message);
  }
  return { errors, other };
}

export default function SurveyCreatePage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadManager, loggedIn);
  const [draft, setDraft] = useState<SurveyDraft>(() => emptySurveyDraft());
  const [errors, setErrors] = useState<SurveyDraftErrors>(noErrors);
  const [other, setOther] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Survey | null>(null);

  const patch = (change: Partial<SurveyDraft>) => setDraft((d) => ({ ...d, ...change }));
  const patchQuestion = (key: string, change: Partial<QuestionDraft>) => {
    setDraft((d) => ({ ...d, questions: d.questions.map((q) => (q.key === key ? { ...q, ...change } : q)) }));
    setErrors((e) => ({ ...e, byQuestion: { ...e.byQuestion, [key]: "" } }));
  };
  const addQuestion = () =>
    setDraft((d) => ({
      ...d,
      questions: [
        ...d.questions,
        {
          key: nextQuestionKey(d.questions),
          type: "rating",
          text: "",
          dimension: null,
          options: "",
          required: true,
        },
      ],
    }));
  const removeQuestion = (key: string) =>
    setDraft((d) => ({ ...d, questions: d.questions.filter((q) => q.key !== key) }));

  const data = state.data;
  const submit = async () => {
    if (!data?.centreId || busy) return;
    const found = checkSurveyDraft(draft);
    setErrors(found);
    setOther([]);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      setCreated(await createSurvey(data.centreId, toCreateSurvey(draft)));
    } catch (err) {
      const mapped = serverErrors(err, draft);
      setErrors(mapped.errors);
      setOther(mapped.other);
    } finally {
      setBusy(false);
    }
  };

  const failed = Object.values(errors.byQuestion).filter(Boolean).length;
  return (
    <PageShell
      title="创建问卷"
      subtitle="手动发放的满意度问卷：选择对象，居民在“满意度评价”中填写"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="survey-create"
    >
      {data && !data.centreId ? (
        <EmptyState title="仅中心管理员可以创建问卷" description="请使用中心管理员账号登录。" />
      ) : null}

      {data?.centreId && created ? (
        <View className="card success" id="survey-create-success" data-survey={created.surveyId}>
          <View className="success__mark">✓</View>
          <View className="success__title">
            {created.publishAt && Date.parse(created.publishAt) > Date.now() ? "已定时发放" : "已发放"}
          </View>
          <View
            className="success__desc"
            id="survey-create-audience"
            data-audience={created.audienceSize ?? 0}
          >
            预计邀请 {created.audienceSize ?? 0} 人
            {created.closesAt ? `，${dateTimeText(created.closesAt)} 截止` : ""}
          </View>
          <View className="actions">
            <Button
              block
              type="primary"
              id="survey-create-to-results"
              onClick={() =>
                navigate(`${PAGES.surveyResults}?surveyId=${encodeURIComponent(created.surveyId)}`)
              }
            >
              查看问卷结果
            </Button>
            <Button
              block
              fill="outline"
              id="survey-create-again"
              onClick={() => {
                setCreated(null);
                setDraft(emptySurveyDraft());
                setErrors(noErrors());
              }}
            >
              再建一份
            </Button>
          </View>
        </View>
      ) : null}

      {data?.centreId && !created ? (
        <View className="card" id="survey-create-form">
          <FormField id="survey-title" label="问卷标题" required error={errors.title} hint="不超过 100 个字">
            <Input
              id="survey-title"
              name="title"
              placeholder="如：2026 年冬季家庭医生服务满意度调查"
              value={draft.title}
              maxLength={100}
              onChange={(v) => {
                patch({ title: v });
                setErrors((e) => ({ ...e, title: undefined }));
              }}
            />
          </FormField>

          <View className="section-title">题目（{draft.questions.length}）</View>
          {errors.questions ? (
            <View className="form-field__error" id="survey-questions-error">
              {errors.questions}
            </View>
          ) : null}
          {draft.questions.map((q, index) => {
            const qid = `survey-q-${q.key}`;
            const choice = q.type === "choice" || q.type === "multiple_choice";
            return (
              <View key={q.key} className="question-draft" id={qid}>
                <FormField
                  id={`${qid}-text`}
                  label={`第 ${index + 1} 题`}
                  required
                  error={errors.byQuestion[q.key]}
                >
                  <Input
                    id={`${qid}-text`}
                    placeholder="题目内容"
                    value={q.text}
                    maxLength={200}
                    onChange={(v) => patchQuestion(q.key, { text: v })}
                  />
                </FormField>
                <OptionChips<QuestionType>
                  idPrefix={`${qid}-type`}
                  options={QUESTION_TYPES.map((t) => ({ value: t, label: QUESTION_TYPE_LABELS[t] }))}
                  value={q.type}
                  onChange={(type) => patchQuestion(q.key, { type })}
                />
                {q.type === "rating" ? (
                  <FormField id={`${qid}-dimension`} label="评价维度" required>
                    <OptionChips<Dimension>
                      idPrefix={`${qid}-dimension`}
                      options={DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))}
                      value={q.dimension}
                      onChange={(dimension) => patchQuestion(q.key, { dimension })}
                    />
                  </FormField>
                ) : null}
                {choice ? (
                  <FormField id={`${qid}-options`} label="选项" required hint="每行一个，2–20 个">
                    <TextArea
                      id={`${qid}-options`}
                      className="textarea-box"
                      placeholder={"选项一\n选项二"}
                      value={q.options}
                      maxLength={2000}
                      onChange={(v: string) => patchQuestion(q.key, { options: v })}
                    />
                  </FormField>
                ) : null}
                <View className="actions actions--row">
                  <OptionChips<"required" | "optional">
                    idPrefix={`${qid}-required`}
                    options={[
                      { value: "required", label: "必答" },
                      { value: "optional", label: "选答" },
                    ]}
                    value={q.required ? "required" : "optional"}
                    onChange={(v) => patchQuestion(q.key, { required: v === "required" })}
                  />
                  <Button
                    size="small"
                    fill="outline"
                    id={`${qid}-remove`}
                    onClick={() => removeQuestion(q.key)}
                  >
                    删除此题
                  </Button>
                </View>
              </View>
            );
          })}
          {draft.questions.length < 30 ? (
            <Button block fill="outline" id="survey-add-question" onClick={addQuestion}>
              添加题目
            </Button>
          ) : null}

          <View className="section-title">发放对象与时间</View>
          <AudiencePicker
            idPrefix="survey"
            scopes={["team", "centre"]}
            teams={data.teams}
            value={draft.audience}
            onChange={(audience) => {
              patch({ audience });
              setErrors((e) => ({ ...e, teamId: undefined, groups: undefined }));
            }}
            errors={{ teamId: errors.teamId, groups: errors.groups }}
          />
          <FormField id="survey-when" label="发放时间" error={errors.publishTime}>
            <OptionChips<"now" | "later">
              idPrefix="survey-when"
              options={[
                { value: "now", label: "立即发放" },
                { value: "later", label: "定时发放" },
              ]}
              value={draft.scheduled ? "later" : "now"}
              onChange={(v) => {
                patch({ scheduled: v === "later" });
                setErrors((e) => ({ ...e, publishTime: undefined }));
              }}
            />
          </FormField>
          {draft.scheduled ? (
            <View className="form-row" id="survey-schedule">
              <FormField id="survey-publishDate" label="日期" required>
                <DateTimePicker
                  id="survey-publishDate"
                  mode="date"
                  value={draft.publishDate}
                  start={todayInChina()}
                  onChange={(v) => patch({ publishDate: v })}
                />
              </FormField>
              <FormField id="survey-publishTime" label="时间" required>
                <DateTimePicker
                  id="survey-publishTime"
                  mode="time"
                  value={draft.publishTime}
                  onChange={(v) => patch({ publishTime: v })}
                />
              </FormField>
            </View>
          ) : null}
          <FormField
            id="survey-closesDate"
            label="截止日期"
            required
            error={errors.closesDate}
            hint="当天 23:59 截止，之后不能再填写"
          >
            <DateTimePicker
              id="survey-closesDate"
              mode="date"
              value={draft.closesDate}
              start={todayInChina()}
              onChange={(v) => {
                patch({ closesDate: v });
                setErrors((e) => ({ ...e, closesDate: undefined }));
              }}
            />
          </FormField>

          {failed > 0 || other.length > 0 ? (
            <View className="notice notice--error" id="survey-create-error">
              {[...(failed > 0 ? [`有 ${failed} 道题目需要修改`] : []), ...other].join("；")}
            </View>
          ) : null}
          <View className="actions">
            <Button
              block
              type="primary"
              size="large"
              id="survey-create-submit"
              loading={busy}
              onClick={() => void submit()}
            >
              {draft.scheduled ? "定时发放" : "立即发放"}
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

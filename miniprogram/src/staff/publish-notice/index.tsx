import { View } from "@tarojs/components";
import { useState } from "react";
import { AudiencePicker } from "../../components/AudiencePicker";
import { DateTimePicker } from "../../components/DateTimePicker";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button, Input, TextArea } from "../../components/ui";
import { addDays } from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { isStaff } from "../../lib/contracts";
import { todayInChina } from "../../lib/id-number";
import {
  checkDraft,
  chinaInstant,
  type DraftErrors,
  dateTimeText,
  NOTICE_KIND_LABELS,
  NOTICE_KINDS,
  type NoticeDraft,
  TARGET_GROUP_LABELS,
  thisMonth,
} from "../../lib/notices";
import { useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { estimateNoticeAudience, noticeSuggestions, publishNotice } from "../../services/notices";
import { fieldErrorsFrom } from "../../services/request";
import { PAGES } from "../../services/routes";
import type {
  NoticeKind,
  NoticeSuggestion,
  PublishNoticeRequest,
  PublishNoticeResult,
  TargetGroup,
} from "../../services/types";

interface Author {
  /** Staff publish to their team; managers to the whole centre. */
  scope: "team" | "centre" | null;
  teamId: string | null;
  centreId: string | null;
  suggestions: NoticeSuggestion[];
}

async function loadAuthor(): Promise<Author> {
  const me = await getMe();
  const teamId = me.user.teamId ?? null;
  const centreId = me.user.centreId ?? null;
  const manager = me.user.roles.includes("manager");
  const scope = isStaff(me.user.roles) && teamId ? "team" : manager && centreId ? "centre" : null;
  const suggestions =
    scope && centreId
      ? await noticeSuggestions(centreId, thisMonth()).then(
          (page) => page.items,
          () => [],
        )
      : [];
  return { scope, teamId, centreId, suggestions };
}

const emptyDraft = (): NoticeDraft => ({
  kind: null,
  title: "",
  body: "",
  scheduled: false,
  publishDate: todayInChina(),
  publishTime: "",
  venue: "",
  lectureDate: addDays(todayInChina(), 7),
  lectureTime: "14:30",
  capacity: "50",
});

const FIELDS = [
  "kind",
  "title",
  "body",
  "publishAt",
  "venue",
  "startsAt",
  "capacity",
  "groups",
  "teamId",
] as const;

export default function PublishNoticePage() {
  const loggedIn = useRequireLogin();
  const author = useAsync(loadAuthor, loggedIn);
  const [draft, setDraft] = useState<NoticeDraft>(emptyDraft);
  const [groups, setGroups] = useState<TargetGroup[]>([]);
  const [errors, setErrors] = useState<DraftErrors & { groups?: string }>({});
  const [other, setOther] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PublishNoticeResult | null>(null);
  const [fromSuggestion, setFromSuggestion] = useState<string | null>(null);

  const patch = (change: Partial<NoticeDraft>, field?: keyof NoticeDraft) => {
    setDraft((d) => ({ ...d, ...change }));
    if (field) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const applySuggestion = (s: NoticeSuggestion) => {
    setDraft((d) => ({ ...d, kind: s.kind, title: s.title, body: s.body }));
    setGroups([...s.groups]);
    setErrors({});
    setFromSuggestion(s.key);
  };

  const a = author.data;
  const submit = async () => {
    if (!a?.scope || busy) return;
    const found = checkDraft(draft);
    setErrors(found);
    setOther([]);
    if (Object.keys(found).length > 0 || !draft.kind) return;
    const body: PublishNoticeRequest = {
      kind: draft.kind,
      title: draft.title.trim(),
      body: draft.body.trim(),
      audience: {
        scope: a.scope,
        ...(a.scope === "team" && a.teamId ? { teamId: a.teamId } : {}),
        ...(groups.length ? { groups } : {}),
      },
      ...(draft.scheduled
        ? { publishAt: chinaInstant(draft.publishDate, draft.publishTime) ?? undefined }
        : {}),
      ...(draft.kind === "lecture"
        ? {
            lecture: {
              venue: draft.venue.trim(),
              startsAt: chinaInstant(draft.lectureDate, draft.lectureTime) ?? "",
              capacity: Number(draft.capacity),
            },
          }
        : {}),
    };
    setBusy(true);
    try {
      // The author sees how many residents this reaches before it goes out: a notice cannot be recalled.
      const { audienceSize } = await estimateNoticeAudience(body.audience);
      const ok = await confirm({
        title: draft.scheduled ? "确认定时发布" : "确认发布",
        content:
          audienceSize > 0
            ? `将发送给约 ${audienceSize} 位签约居民${groups.length ? "（所选重点人群）" : ""}，发布后不能撤回。`
            : "当前没有符合条件的签约居民，发布后不会有人收到。仍要发布吗？",
        confirmText: "发布",
      });
      if (!ok) return;
      setResult(await publishNotice(body));
    } catch (err) {
      const mapped = fieldErrorsFrom(err, FIELDS);
      const f = mapped.fields;
      setErrors({
        kind: f.kind,
        title: f.title,
        body: f.body,
        publishTime: f.publishAt,
        venue: f.venue,
        lectureTime: f.startsAt,
        capacity: f.capacity,
        groups: f.groups,
      });
      const leftover = [...mapped.other, ...(f.teamId ? [f.teamId] : [])];
      setOther(
        leftover.length || Object.values(f).some(Boolean) ? leftover : [String((err as Error).message)],
      );
    } finally {
      setBusy(false);
    }
  };

  const lecture = draft.kind === "lecture";
  return (
    <PageShell
      title="发布通知"
      subtitle={
        a?.scope === "centre" ? "发给全中心签约居民，可限定重点人群" : "发给本团队签约居民，可限定重点人群"
      }
      loading={!loggedIn || (author.loading && !a)}
      error={author.error}
      onRetry={author.reload}
      id="publish"
    >
      {a && !a.scope ? (
        <EmptyState
          title="您没有发布通知的权限"
          description="团队成员可向本团队发布，中心管理员可向全中心发布。"
        />
      ) : null}

      {a?.scope && result ? (
        <View className="card success" id="publish-success" data-notice={result.noticeId}>
          <View className="success__mark">✓</View>
          <View className="success__title">{result.status === "scheduled" ? "已定时发布" : "已发布"}</View>
          <View className="success__desc" id="publish-success-audience" data-audience={result.audienceSize}>
            受众 {result.audienceSize} 人
            {result.status === "scheduled"
              ? `，将于 ${dateTimeText(result.publishAt)} 送达`
              : "，正在送达收件箱"}
          </View>
          <View className="actions">
            <Button block type="primary" id="publish-to-list" onClick={() => navigate(PAGES.teamNotices)}>
              查看通知统计
            </Button>
            <Button
              block
              fill="outline"
              id="publish-again"
              onClick={() => {
                setResult(null);
                setDraft(emptyDraft());
                setGroups([]);
                setFromSuggestion(null);
              }}
            >
              再发一条
            </Button>
          </View>
        </View>
      ) : null}

      {a?.scope && !result ? (
        <>
          {a.suggestions.length > 0 ? (
            <View className="card" id="publish-suggestions">
              <View className="section-title">本月建议发送（点击填入）</View>
              {a.suggestions.map((s) => (
                <View
                  key={s.key}
                  className={`suggestion${fromSuggestion === s.key ? " suggestion--active" : ""}`}
                  id={`publish-suggestion-${s.key}`}
                  onClick={() => applySuggestion(s)}
                >
                  <View className="suggestion__title">{s.title}</View>
                  <View className="suggestion__reason muted">
                    {s.reason}
                    {s.groups.length ? ` · ${s.groups.map((g) => TARGET_GROUP_LABELS[g]).join("、")}` : ""}
                  </View>
                </View>
              ))}
            </View>
          ) : null}

          <View className="card" id="publish-form">
            <FormField id="publish-kind" label="通知类型" required error={errors.kind}>
              <OptionChips<NoticeKind>
                idPrefix="publish-kind"
                options={NOTICE_KINDS.map((k) => ({ value: k, label: NOTICE_KIND_LABELS[k] }))}
                value={draft.kind}
                onChange={(v) => patch({ kind: v }, "kind")}
              />
            </FormField>
            <FormField id="publish-title" label="标题" required error={errors.title} hint="不超过 60 个字">
              <Input
                id="publish-title"
                name="title"
                placeholder="如：高血压防治健康讲座"
                value={draft.title}
                maxLength={60}
                onChange={(v) => patch({ title: v }, "title")}
              />
            </FormField>
            <FormField
              id="publish-body"
              label="正文"
              required
              error={errors.body}
              hint="纯文字，不超过 2000 个字"
            >
              <TextArea
                id="publish-body"
                className="textarea-box"
                placeholder="通知内容"
                value={draft.body}
                maxLength={2000}
                showCount
                onChange={(v: string) => patch({ body: v }, "body")}
              />
            </FormField>
            <AudiencePicker
              idPrefix="publish"
              scopes={[a.scope]}
              value={{ scope: a.scope, teamId: a.teamId, groups }}
              onChange={(v) => {
                setGroups(v.groups);
                setErrors((e) => ({ ...e, groups: undefined }));
              }}
              errors={{ groups: errors.groups }}
            />

            {lecture ? (
              <View id="publish-lecture">
                <FormField id="publish-venue" label="讲座地点" required error={errors.venue}>
                  <Input
                    id="publish-venue"
                    name="venue"
                    placeholder="如：中心三楼会议室"
                    value={draft.venue}
                    maxLength={100}
                    onChange={(v) => patch({ venue: v }, "venue")}
                  />
                </FormField>
                <View className="form-row">
                  <FormField id="publish-lectureDate" label="讲座日期" required>
                    <DateTimePicker
                      id="publish-lectureDate"
                      mode="date"
                      value={draft.lectureDate}
                      start={todayInChina()}
                      onChange={(v) => patch({ lectureDate: v }, "lectureTime")}
                    />
                  </FormField>
                  <FormField id="publish-lectureTime" label="开始时间" required error={errors.lectureTime}>
                    <DateTimePicker
                      id="publish-lectureTime"
                      mode="time"
                      value={draft.lectureTime}
                      onChange={(v) => patch({ lectureTime: v }, "lectureTime")}
                    />
                  </FormField>
                </View>
                <FormField id="publish-capacity" label="名额" required error={errors.capacity}>
                  <Input
                    id="publish-capacity"
                    name="capacity"
                    type="number"
                    placeholder="50"
                    value={draft.capacity}
                    maxLength={4}
                    onChange={(v) => patch({ capacity: v.trim() }, "capacity")}
                  />
                </FormField>
              </View>
            ) : null}

            <FormField id="publish-when" label="发布时间" error={errors.publishTime}>
              <OptionChips<"now" | "later">
                idPrefix="publish-when"
                options={[
                  { value: "now", label: "立即发布" },
                  { value: "later", label: "定时发布" },
                ]}
                value={draft.scheduled ? "later" : "now"}
                onChange={(v) => patch({ scheduled: v === "later" }, "publishTime")}
              />
            </FormField>
            {draft.scheduled ? (
              <View className="form-row" id="publish-schedule">
                <FormField id="publish-publishDate" label="日期" required>
                  <DateTimePicker
                    id="publish-publishDate"
                    mode="date"
                    value={draft.publishDate}
                    start={todayInChina()}
                    onChange={(v) => patch({ publishDate: v }, "publishTime")}
                  />
                </FormField>
                <FormField id="publish-publishTime" label="时间" required>
                  <DateTimePicker
                    id="publish-publishTime"
                    mode="time"
                    value={draft.publishTime}
                    onChange={(v) => patch({ publishTime: v }, "publishTime")}
                  />
                </FormField>
              </View>
            ) : null}

            {other.length > 0 ? (
              <View className="notice notice--error" id="publish-error">
                {other.join("；")}
              </View>
            ) : null}
            <View className="actions">
              <Button
                block
                type="primary"
                size="large"
                id="publish-submit"
                loading={busy}
                onClick={() => void submit()}
              >
                {draft.scheduled ? "定时发布" : "立即发布"}
              </Button>
            </View>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { LectureCheckIn } from "../../components/LectureCheckIn";
import { NoticeKindTag } from "../../components/NoticeKindTag";
import { PageShell } from "../../components/PageShell";
import { SubscribeStatus } from "../../components/SubscribeStatus";
import { Button } from "../../components/ui";
import { useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { dateTimeText } from "../../lib/notices";
import { type Person, peopleOf } from "../../lib/people";
import { useSubscribe } from "../../lib/subscribe";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import {
  cancelLectureRegistration,
  getNotice,
  markNoticeRead,
  registerLecture,
} from "../../services/notices";
import { ApiError } from "../../services/request";
import { PAGES } from "../../services/routes";
import type { Notice } from "../../services/types";

const REGISTER_ERRORS: Record<string, string> = {
  LECTURE_FULL: "讲座名额已满",
  ALREADY_REGISTERED: "已报名该讲座",
  LECTURE_STARTED: "讲座已开始，无法报名",
};

interface NoticeData {
  notice: Notice;
  people: Person[];
}

function noticeIdParam(): string {
  return Taro.getCurrentInstance().router?.params?.noticeId ?? "";
}

async function loadNotice(noticeId: string): Promise<NoticeData> {
  if (!noticeId) throw new Error("没有指定通知");
  const [notice, me] = await Promise.all([getNotice(noticeId), getMe()]);
  return { notice, people: peopleOf(me) };
}

export default function NoticePage() {
  const loggedIn = useRequireLogin();
  const [noticeId] = useState(noticeIdParam);
  const state = useAsync(() => loadNotice(noticeId), loggedIn);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const data = state.data;

  const subscribe = useSubscribe();

  // 转发: a lecture or notice opens on its own page for whoever receives it.
  Taro.useShareAppMessage(() => ({
    title: data?.notice.title ?? "健康通知",
    path: `${PAGES.notice}?noticeId=${encodeURIComponent(noticeId)}`,
  }));

  // Opening marks it read (for every family member it reached). Reminders are asked for on a tap
  // (报名), never here: WeChat refuses the dialog outside a tap handler.
  const unread = data?.notice.read === false;
  useEffect(() => {
    if (!unread) return;
    void markNoticeRead(noticeId).catch(() => undefined);
  }, [unread, noticeId]);

  const notice = data?.notice;
  const lecture = notice?.lecture ?? null;
  const registered = new Set(notice?.registeredResidentIds ?? []);
  // Whom the lecture reached through this account: registeredResidentIds is sent to readers only.
  const reached = notice?.registeredResidentIds !== undefined ? (data?.people ?? []) : [];
  const started = lecture ? Date.parse(lecture.startsAt) <= Date.now() : false;

  const refresh = async () => {
    try {
      const fresh = await getNotice(noticeId);
      if (data) state.setData({ ...data, notice: fresh });
    } catch {
      state.reload();
    }
  };

  /** 报名: the WeChat reminder request first, synchronously, then the registration. */
  const onRegister = (person: Person) => {
    void subscribe.request(["notice"]);
    void register(person);
  };

  const register = async (person: Person) => {
    if (busy) return;
    setBusy(person.residentId);
    setMessage(null);
    try {
      await registerLecture(noticeId, person.residentId);
      setMessage({ tone: "ok", text: `${person.name}已报名，请按时参加` });
    } catch (err) {
      // A second tap that arrives after the first succeeded: she is registered, say so.
      if (err instanceof ApiError && err.code === "ALREADY_REGISTERED") {
        setMessage({ tone: "ok", text: `${person.name}已报名，请按时参加` });
        return;
      }
      const text = err instanceof ApiError ? (REGISTER_ERRORS[err.code] ?? err.message) : errorMessage(err);
      setMessage({ tone: "error", text });
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  const cancel = async (person: Person) => {
    if (busy) return;
    const ok = await confirm({
      title: "取消报名？",
      content: `取消后${person.name}的名额将让给其他居民。`,
      confirmText: "取消报名",
    });
    if (!ok) return;
    setBusy(person.residentId);
    setMessage(null);
    try {
      await cancelLectureRegistration(noticeId, person.residentId);
      setMessage({ tone: "ok", text: `已取消${person.name}的报名` });
    } catch {
      // request() showed the server's message.
    } finally {
      setBusy(null);
      await refresh();
    }
  };

  return (
    <PageShell
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="notice"
    >
      {notice ? (
        <>
          <View className="card notice-detail" id="notice-detail" data-notice={notice.noticeId}>
            <NoticeKindTag kind={notice.kind} id="notice-kind" />
            <View className="notice-detail__title" id="notice-title">
              {notice.title}
            </View>
            <View className="notice-detail__meta muted" id="notice-time">
              发布于 {dateTimeText(notice.publishAt)}
            </View>
            {/* Plain text: the API stores text, never markup. */}
            <Text className="notice-detail__body" id="notice-body" userSelect>
              {notice.body}
            </Text>
          </View>

          {lecture ? (
            <View className="card lecture" id="notice-lecture">
              <View className="section-title">讲座信息</View>
              <View className="result__row">
                <View className="result__label">地点</View>
                <View className="result__value" id="notice-lecture-venue">
                  {lecture.venue}
                </View>
              </View>
              <View className="result__row">
                <View className="result__label">时间</View>
                <View className="result__value" id="notice-lecture-time">
                  {dateTimeText(lecture.startsAt)}
                </View>
              </View>
              <View className="result__row">
                <View className="result__label">名额</View>
                <View className="result__value" id="notice-lecture-remaining">
                  {lecture.remaining > 0
                    ? `剩余 ${lecture.remaining} / ${lecture.capacity} 个名额`
                    : "名额已满"}
                </View>
              </View>
              {message ? (
                <View
                  className={`notice ${message.tone === "ok" ? "notice--info" : "notice--error"}`}
                  id="notice-lecture-message"
                >
                  {message.text}
                </View>
              ) : null}
              <SubscribeStatus outcome={subscribe.outcome} id="notice-subscribe-status" />
              {started ? (
                <View className="notice notice--warn" id="notice-lecture-started">
                  讲座已开始，不能再报名或取消。
                </View>
              ) : null}
              {reached.some((p) => registered.has(p.residentId)) ? (
                <LectureCheckIn
                  noticeId={noticeId}
                  people={reached.filter((p) => registered.has(p.residentId))}
                />
              ) : null}
              {reached.map((person) => {
                const id = `notice-person-${person.residentId}`;
                const isIn = registered.has(person.residentId);
                return (
                  <View key={person.residentId} className="lecture__person" id={id}>
                    <View className="lecture__name">
                      {person.name}
                      <View className="muted lecture__relation">（{person.relation}）</View>
                    </View>
                    {isIn ? (
                      <View className="lecture__side">
                        <View className="lecture__in" id={`${id}-registered`}>
                          已报名
                        </View>
                        {started ? null : (
                          <Button
                            fill="outline"
                            size="small"
                            id={`${id}-cancel`}
                            loading={busy === person.residentId}
                            onClick={() => void cancel(person)}
                          >
                            取消报名
                          </Button>
                        )}
                      </View>
                    ) : started ? null : (
                      <Button
                        type="primary"
                        id={`${id}-register`}
                        disabled={lecture.remaining <= 0}
                        loading={busy === person.residentId}
                        onClick={() => onRegister(person)}
                      >
                        报名
                      </Button>
                    )}
                  </View>
                );
              })}
            </View>
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}

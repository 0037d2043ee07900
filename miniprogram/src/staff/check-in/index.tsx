import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { EmptyState, PageShell } from "../../components/PageShell";
import { QrCode } from "../../components/QrCode";
import { Button } from "../../components/ui";
import { useRequireLogin } from "../../lib/auth-guard";
import { checkInQrText, secondsUntil } from "../../lib/check-in";
import { dateTimeText } from "../../lib/notices";
import { errorMessage, useAsync } from "../../lib/use-async";
import {
  createCheckInToken,
  getNotice,
  listLectureRegistrations,
  recordLectureAttendance,
} from "../../services/notices";
import type { CheckInToken, Notice, RegistrationListItem } from "../../services/types";

interface Lecture {
  notice: Notice;
  registrations: RegistrationListItem[];
}

async function loadLecture(noticeId: string): Promise<Lecture> {
  if (!noticeId) throw new Error("没有指定讲座");
  const [notice, registrations] = await Promise.all([
    getNotice(noticeId),
    listLectureRegistrations(noticeId),
  ]);
  return { notice, registrations: registrations.items };
}

/** The rotating code: fetched now and again when the server says it rotates (every minute). */
function useRotatingCode(noticeId: string, enabled: boolean) {
  const [code, setCode] = useState<CheckInToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchCode = () => {
      createCheckInToken(noticeId).then(
        (next) => {
          if (stopped) return;
          setCode(next);
          setError(null);
          timer = setTimeout(fetchCode, Math.max(1_000, Date.parse(next.rotatesAt) - Date.now() + 200));
        },
        (err: unknown) => {
          if (stopped) return;
          setError(errorMessage(err));
          timer = setTimeout(fetchCode, 5_000);
        },
      );
    };
    fetchCode();
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(tick);
    };
  }, [noticeId, enabled]);
  return { code, error, now };
}

/**
 * 讲座签到 for the lecture's team: a QR code that changes every minute for residents to scan, and
 * the registration list to tick those who cannot scan.
 */
export default function CheckInPage() {
  const loggedIn = useRequireLogin();
  const [noticeId] = useState(() => Taro.getCurrentInstance().router?.params?.noticeId ?? "");
  const state = useAsync(() => loadLecture(noticeId), loggedIn);
  const { code, error: codeError, now } = useRotatingCode(noticeId, loggedIn && !!state.data);
  const [busy, setBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ residentId: string; text: string } | null>(null);
  const data = state.data;
  const attended = data?.registrations.filter((r) => r.attendedAt).length ?? 0;

  // Scans arrive on the server: read the list again every 15 s so ticks appear on the screen.
  useEffect(() => {
    if (!data) return;
    const timer = setInterval(() => {
      listLectureRegistrations(noticeId).then(
        (page) => state.setData({ ...data, registrations: page.items }),
        () => undefined,
      );
    }, 15_000);
    return () => clearInterval(timer);
  }, [data, noticeId, state]);

  const tick = async (r: RegistrationListItem) => {
    if (busy || !data) return;
    setBusy(r.residentId);
    setRowError(null);
    try {
      const done = await recordLectureAttendance(noticeId, r.residentId);
      state.setData({
        ...data,
        registrations: data.registrations.map((x) =>
          x.residentId === r.residentId ? { ...x, attendedAt: done.attendedAt } : x,
        ),
      });
    } catch (err) {
      setRowError({ residentId: r.residentId, text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <PageShell
      title="讲座签到"
      subtitle={data ? `${data.notice.title} · ${data.notice.lecture?.venue ?? ""}` : undefined}
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="check-in"
    >
      {data ? (
        <>
          <View className="card check-in__code" id="check-in-code">
            <View className="section-title">请居民用微信扫码签到</View>
            {code ? (
              <>
                <QrCode text={checkInQrText(noticeId, code.token)} size={240} id="check-in-qr" />
                <View className="muted" id="check-in-rotates" data-token={code.token}>
                  二维码每分钟更新，{secondsUntil(code.rotatesAt, now)} 秒后更换
                </View>
              </>
            ) : null}
            {codeError ? (
              <View className="notice notice--error" id="check-in-code-error">
                {codeError}（稍后自动重试）
              </View>
            ) : null}
            {data.notice.lecture ? (
              <View className="muted">讲座时间：{dateTimeText(data.notice.lecture.startsAt)}</View>
            ) : null}
          </View>

          <View className="card" id="check-in-list">
            <View className="section-title" id="check-in-count" data-attended={attended}>
              已签到 {attended} / 报名 {data.registrations.length}
            </View>
            {data.registrations.length === 0 ? (
              <EmptyState title="暂无报名" description="居民报名后会显示在这里。" />
            ) : null}
            {data.registrations.map((r) => {
              const id = `check-in-${r.residentId}`;
              return (
                <View key={r.residentId} className="lecture__person" id={id}>
                  <View className="lecture__name">{r.residentName}</View>
                  {r.attendedAt ? (
                    <View className="lecture__in" id={`${id}-done`}>
                      已签到 {dateTimeText(r.attendedAt).slice(11)}
                    </View>
                  ) : (
                    <Button
                      type="primary"
                      id={`${id}-tick`}
                      loading={busy === r.residentId}
                      disabled={busy !== null}
                      onClick={() => void tick(r)}
                    >
                      签到
                    </Button>
                  )}
                  {rowError?.residentId === r.residentId ? (
                    <View className="notice notice--error" id={`${id}-error`}>
                      {rowError.text}
                    </View>
                  ) : null}
                </View>
              );
            })}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

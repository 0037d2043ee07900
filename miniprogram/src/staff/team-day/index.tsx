import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useCallback, useEffect, useState } from "react";
import { AppointmentStatusTag } from "../../components/AppointmentStatusTag";
import { EmptyState, NoTeamState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { addDays, timeRange, todayInChina, weekdayName } from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { isStaff } from "../../lib/contracts";
import { errorMessage, useAsync } from "../../lib/use-async";
import { listTeamAppointments, updateAppointmentStatus } from "../../services/appointments";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Appointment, AppointmentStatus, VisitStatus } from "../../services/types";

const VISIT_DONE: Record<VisitStatus, string> = {
  checked_in: "已签到",
  completed: "已完成，已记入履约",
  no_show: "已标记爽约",
};

async function loadStaff() {
  const me = await getMe();
  return { teamId: me.user.teamId ?? null, staff: isStaff(me.user.roles) };
}

/** What staff may record now (the server's rules): visits from 60 min before the start to the day's end, no-shows after the start. */
export function visitActions(a: Pick<Appointment, "status" | "startsAt" | "date">, now: Date = new Date()) {
  const start = Date.parse(a.startsAt);
  const t = now.getTime();
  const windowOpen = t >= start - 60 * 60_000 && todayInChina(now) <= a.date;
  return {
    checkIn: a.status === "booked",
    complete: a.status === "booked" || a.status === "checked_in",
    noShow: a.status === "booked",
    windowOpen,
    started: t >= start,
  };
}

function useTeamDay(teamId: string | null, date: string) {
  const [items, setItems] = useState<Appointment[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the reload trigger
  useEffect(() => {
    if (!teamId) return;
    let cancelled = false;
    setLoading(true);
    setError(null);
    (async () => {
      // A day of one team is a few dozen visits: read every page.
      const all: Appointment[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page = await listTeamAppointments(teamId, { date, cursor });
        all.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return all.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    })().then(
      (value) => {
        if (cancelled) return;
        setItems(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (cancelled) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [teamId, date, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { items, setItems, loading, error, reload };
}

const COUNTED: AppointmentStatus[] = ["booked", "checked_in", "completed", "no_show", "cancelled"];
const COUNT_LABELS: Record<AppointmentStatus, string> = {
  booked: "待签到",
  checked_in: "已签到",
  completed: "已完成",
  no_show: "爽约",
  cancelled: "已取消",
  unrecorded: "未记录",
};

export default function TeamDayPage() {
  const loggedIn = useRequireLogin();
  const staff = useAsync(loadStaff, loggedIn);
  const today = todayInChina();
  const [date, setDate] = useState(today);
  const teamId = staff.data?.staff ? staff.data.teamId : null;
  const day = useTeamDay(teamId, date);
  const [busy, setBusy] = useState<string | null>(null);

  Taro.useDidShow(() => {
    if (loggedIn && day.items) day.reload();
  });

  const record = async (a: Appointment, status: VisitStatus) => {
    if (busy) return;
    if (status === "no_show") {
      const ok = await confirm({
        title: "标记爽约？",
        content: `${a.residentName} ${timeRange(a)} 的${a.serviceName}将记为爽约。`,
        confirmText: "标记爽约",
      });
      if (!ok) return;
    }
    setBusy(a.appointmentId);
    try {
      const updated = await updateAppointmentStatus(a.appointmentId, status);
      day.setItems((day.items ?? []).map((x) => (x.appointmentId === updated.appointmentId ? updated : x)));
      void Taro.showToast({ title: VISIT_DONE[status], icon: "none" }).catch(() => undefined);
    } catch {
      day.reload();
    } finally {
      setBusy(null);
    }
  };

  const noTeam = staff.data && (!staff.data.teamId || !staff.data.staff);
  const items = day.items ?? [];
  const counts = COUNTED.map((s) => ({ s, n: items.filter((a) => a.status === s).length })).filter(
    (c) => c.n,
  );
  const now = new Date();

  return (
    <PageShell
      title="今日预约"
      subtitle="按时间顺序登记签到、完成和爽约"
      loading={!loggedIn || (staff.loading && !staff.data)}
      error={staff.error}
      onRetry={staff.reload}
      id="team-day"
    >
      {noTeam ? <NoTeamState /> : null}
      {teamId ? (
        <>
          <View className="card day-switch" id="team-day-switch">
            <Button size="small" fill="outline" id="team-day-prev" onClick={() => setDate(addDays(date, -1))}>
              ‹ 前一天
            </Button>
            <View className="day-switch__date" id="team-day-date" data-date={date}>
              {date === today ? "今天 " : ""}
              {date.slice(5)} {weekdayName(date)}
            </View>
            <Button size="small" fill="outline" id="team-day-next" onClick={() => setDate(addDays(date, 1))}>
              后一天 ›
            </Button>
          </View>
          <View className="actions actions--row">
            {date !== today ? (
              <Button size="small" fill="none" id="team-day-today" onClick={() => setDate(today)}>
                回到今天
              </Button>
            ) : null}
            <Button
              size="small"
              type="primary"
              fill="outline"
              id="team-day-to-schedule"
              onClick={() => navigate(PAGES.schedule)}
            >
              发布排班
            </Button>
          </View>

          {day.loading && !day.items ? <View className="notice">正在加载预约…</View> : null}
          {day.error ? (
            <View className="notice notice--error" id="team-day-error" onClick={day.reload}>
              {day.error}（点此重试）
            </View>
          ) : null}
          {day.items && items.length === 0 ? (
            <EmptyState title="当天没有预约" description="居民预约本团队的号源后会显示在这里。" />
          ) : null}
          {counts.length ? (
            <View className="notice notice--info" id="team-day-summary">
              共 {items.length} 个预约：{counts.map((c) => `${COUNT_LABELS[c.s]} ${c.n}`).join(" · ")}
            </View>
          ) : null}
          {items.map((a) => {
            const idPrefix = `team-day-${a.appointmentId}`;
            const can = visitActions(a, now);
            const rowBusy = busy === a.appointmentId;
            return (
              <View key={a.appointmentId} className="card appt" id={idPrefix} data-status={a.status}>
                <View className="contract__head">
                  <View className="contract__title">
                    <View className="appt__time" id={`${idPrefix}-time`}>
                      {timeRange(a)}
                    </View>
                    {a.residentName}
                  </View>
                  <AppointmentStatusTag appointment={a} id={`${idPrefix}-status`} />
                </View>
                <View className="choice__desc">{a.serviceName}</View>
                {a.note ? <View className="choice__desc">备注：{a.note}</View> : null}
                {a.cancellation ? (
                  <View className="choice__desc">
                    {a.cancellation.by === "team" ? "团队取消" : "居民取消"}：{a.cancellation.reason}
                  </View>
                ) : null}
                {can.checkIn || can.complete || can.noShow ? (
                  <View className="actions actions--row">
                    {can.checkIn ? (
                      <Button
                        type="primary"
                        id={`${idPrefix}-checkin`}
                        disabled={!can.windowOpen}
                        loading={rowBusy}
                        onClick={() => void record(a, "checked_in")}
                      >
                        签到
                      </Button>
                    ) : null}
                    {can.complete ? (
                      <Button
                        type="primary"
                        fill="outline"
                        id={`${idPrefix}-complete`}
                        disabled={!can.windowOpen}
                        onClick={() => void record(a, "completed")}
                      >
                        完成
                      </Button>
                    ) : null}
                    {can.noShow ? (
                      <Button
                        type="danger"
                        fill="outline"
                        id={`${idPrefix}-noshow`}
                        disabled={!can.started}
                        onClick={() => void record(a, "no_show")}
                      >
                        爽约
                      </Button>
                    ) : null}
                  </View>
                ) : null}
                {can.checkIn && !can.windowOpen ? (
                  <View className="form-field__hint" id={`${idPrefix}-hint`}>
                    {Date.parse(a.startsAt) - 60 * 60_000 > now.getTime()
                      ? "开始前 60 分钟起可签到；开始后可标记爽约。"
                      : "已过当天，无法再登记签到或完成。"}
                  </View>
                ) : null}
                {can.noShow && can.windowOpen && !can.started ? (
                  <View className="form-field__hint">开始后才能标记爽约。</View>
                ) : null}
              </View>
            );
          })}
        </>
      ) : null}
    </PageShell>
  );
}

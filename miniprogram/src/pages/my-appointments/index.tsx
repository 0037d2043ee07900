import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { AppointmentStatusTag } from "../../components/AppointmentStatusTag";
import { FormField } from "../../components/FormField";
import { LoadMore } from "../../components/LoadMore";
import { OptionChips } from "../../components/OptionChips";
import { PageShell } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import {
  CANCEL_DEADLINE_HOURS,
  canResidentCancel,
  countdown,
  isUpcoming,
  whenText,
} from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { formatDateTime } from "../../lib/contracts";
import { peopleOf } from "../../lib/people";
import { errorMessage, useAsync } from "../../lib/use-async";
import {
  acceptWaitlistOffer,
  cancelAppointment,
  listMyAppointments,
  listMyWaitlistOffers,
} from "../../services/appointments";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Appointment, WaitlistOffer } from "../../services/types";

interface MineData {
  appointments: Appointment[];
  nextCursor: string | null;
  offers: WaitlistOffer[];
  names: Record<string, string>;
}

async function loadMine(): Promise<MineData> {
  const [me, page, offers] = await Promise.all([getMe(), listMyAppointments(), listMyWaitlistOffers()]);
  const names: Record<string, string> = {};
  for (const p of peopleOf(me)) names[p.residentId] = `${p.name}（${p.relation}）`;
  return {
    appointments: page.items,
    nextCursor: page.nextCursor,
    offers: offers.items.filter((o) => o.status === "open"),
    names,
  };
}

const CANCEL_REASONS = {
  conflict: "时间冲突",
  better: "身体已好转",
  elsewhere: "已在其他机构就诊",
  other: "其他原因",
} as const;
type CancelReason = keyof typeof CANCEL_REASONS;
const REASON_OPTIONS = (Object.keys(CANCEL_REASONS) as CancelReason[]).map((value) => ({
  value,
  label: CANCEL_REASONS[value],
}));

/** Reason chips plus an optional note; 其他原因 asks for the note. */
function CancelForm({
  idPrefix,
  busy,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<CancelReason | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!reason) return setError("请选择取消原因");
    const text = note.trim();
    if (reason === "other" && !text) return setError("请在补充说明中填写取消原因");
    if (reason === "other") return onSubmit(text);
    onSubmit(text ? `${CANCEL_REASONS[reason]}：${text}` : CANCEL_REASONS[reason]);
  };
  return (
    <View className="inline-form" id={`${idPrefix}-cancel-form`}>
      <FormField id={`${idPrefix}-cancel-reason`} label="取消原因" required error={error}>
        <OptionChips<CancelReason>
          idPrefix={`${idPrefix}-cancel-reason`}
          options={REASON_OPTIONS}
          value={reason}
          onChange={(v) => {
            setReason(v);
            setError(null);
          }}
        />
      </FormField>
      <FormField id={`${idPrefix}-cancel-note`} label="补充说明（选填）">
        <Input
          id={`${idPrefix}-cancel-note`}
          name="note"
          placeholder="如：临时出差"
          value={note}
          maxLength={100}
          onChange={(v) => {
            setNote(v);
            setError(null);
          }}
        />
      </FormField>
      <View className="actions actions--row">
        <Button type="danger" id={`${idPrefix}-cancel-submit`} loading={busy} onClick={submit}>
          确认取消预约
        </Button>
        <Button fill="none" id={`${idPrefix}-cancel-back`} onClick={onCancel}>
          暂不取消
        </Button>
      </View>
    </View>
  );
}

function AppointmentCard({
  appointment: a,
  names,
  cancelling,
  busy,
  onOpenCancel,
  onCloseCancel,
  onCancel,
}: {
  appointment: Appointment;
  names: Record<string, string>;
  cancelling: boolean;
  busy: boolean;
  onOpenCancel: () => void;
  onCloseCancel: () => void;
  onCancel: (reason: string) => void;
}) {
  const idPrefix = `mine-${a.appointmentId}`;
  const cancellable = a.status === "booked" && Date.parse(a.startsAt) > Date.now();
  const inTime = canResidentCancel(a.startsAt);
  return (
    <View className="card appt" id={idPrefix} data-status={a.status}>
      <View className="contract__head">
        <View className="contract__title" id={`${idPrefix}-title`}>
          {a.serviceName}
        </View>
        <AppointmentStatusTag appointment={a} id={`${idPrefix}-status`} />
      </View>
      <View className="result__row">
        <View className="result__label">就诊人</View>
        <View className="result__value" id={`${idPrefix}-who`}>
          {names[a.residentId] ?? a.residentName}
        </View>
      </View>
      <View className="result__row">
        <View className="result__label">时间</View>
        <View className="result__value" id={`${idPrefix}-when`}>
          {whenText(a)}
        </View>
      </View>
      {a.note ? (
        <View className="result__row">
          <View className="result__label">备注</View>
          <View className="result__value">{a.note}</View>
        </View>
      ) : null}
      {a.cancellation ? (
        <View className="notice notice--info appt__cancellation" id={`${idPrefix}-cancellation`}>
          {a.cancellation.by === "team" ? "团队取消" : "已取消"}：{a.cancellation.reason}（
          {formatDateTime(a.cancellation.at)}）
        </View>
      ) : null}
      {cancellable && cancelling ? (
        <CancelForm idPrefix={idPrefix} busy={busy} onSubmit={onCancel} onCancel={onCloseCancel} />
      ) : null}
      {cancellable && !cancelling ? (
        <View className="actions actions--row">
          <Button fill="outline" id={`${idPrefix}-cancel`} disabled={!inTime} onClick={onOpenCancel}>
            取消预约
          </Button>
          {!inTime ? (
            <View className="form-field__hint" id={`${idPrefix}-cancel-late`}>
              开始前 {CANCEL_DEADLINE_HOURS} 小时内不能在线取消，如有变化请联系签约团队。
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

/** A freed place offered from the waitlist, with the time left to take it. */
function OfferCard({
  offer,
  name,
  busy,
  onAccept,
}: {
  offer: WaitlistOffer;
  name: string;
  busy: boolean;
  onAccept: () => void;
}) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = countdown(offer.expiresAt, now);
  const idPrefix = `offer-${offer.offerId}`;
  return (
    <View className="card offer" id={idPrefix}>
      <View className="contract__head">
        <View className="contract__title">候补名额已空出</View>
        <View
          className={`offer__countdown${left ? "" : " offer__countdown--expired"}`}
          id={`${idPrefix}-countdown`}
        >
          {left ? `剩余 ${left}` : "已过期"}
        </View>
      </View>
      <View className="choice__desc">
        {name} 候补的时段有了空余名额，请在 {formatDateTime(offer.expiresAt).slice(11)}{" "}
        前确认，逾期将顺延给下一位。
      </View>
      <View className="actions actions--row">
        <Button type="primary" id={`${idPrefix}-accept`} disabled={!left} loading={busy} onClick={onAccept}>
          确认预约
        </Button>
      </View>
    </View>
  );
}

export default function MyAppointmentsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadMine, loggedIn);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  Taro.useDidShow(() => {
    if (loggedIn && state.data) state.reload();
  });

  const data = state.data;
  const now = new Date();
  const upcoming = (data?.appointments ?? [])
    .filter((a) => isUpcoming(a, now))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = (data?.appointments ?? []).filter((a) => !isUpcoming(a, now));

  const replace = (updated: Appointment) => {
    if (!data) return;
    state.setData({
      ...data,
      appointments: data.appointments.map((a) => (a.appointmentId === updated.appointmentId ? updated : a)),
    });
  };

  const cancel = async (a: Appointment, reason: string) => {
    if (busy) return;
    setBusy(a.appointmentId);
    try {
      replace(await cancelAppointment(a.appointmentId, reason));
      setCancelling(null);
      void Taro.showToast({ title: "已取消预约", icon: "none" }).catch(() => undefined);
    } catch {
      // request() showed the server's message (e.g. TOO_LATE_TO_CANCEL); read the list again.
      setCancelling(null);
      state.reload();
    } finally {
      setBusy(null);
    }
  };

  const accept = async (offer: WaitlistOffer) => {
    if (busy) return;
    setBusy(offer.offerId);
    try {
      await acceptWaitlistOffer(offer.offerId);
      void Taro.showToast({ title: "预约成功", icon: "none" }).catch(() => undefined);
    } catch {
      // request() showed the server's message (e.g. the offer expired).
    } finally {
      setBusy(null);
      state.reload();
    }
  };

  const loadMore = async () => {
    if (!data?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listMyAppointments({ cursor: data.nextCursor });
      const seen = new Set(data.appointments.map((a) => a.appointmentId));
      state.setData({
        ...data,
        appointments: [...data.appointments, ...page.items.filter((a) => !seen.has(a.appointmentId))],
        nextCursor: page.nextCursor,
      });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const card = (a: Appointment) => (
    <AppointmentCard
      key={a.appointmentId}
      appointment={a}
      names={data?.names ?? {}}
      cancelling={cancelling === a.appointmentId}
      busy={busy === a.appointmentId}
      onOpenCancel={() => setCancelling(a.appointmentId)}
      onCloseCancel={() => setCancelling(null)}
      onCancel={(reason) => void cancel(a, reason)}
    />
  );

  return (
    <PageShell
      refresh={state}
      title="我的预约"
      subtitle="本人及家人的预约；开始前 2 小时可在线取消"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="my-appointments"
    >
      {data ? (
        <>
          {data.offers.length ? (
            <View id="mine-offers">
              <View className="section-title">候补邀请</View>
              {data.offers.map((o) => (
                <OfferCard
                  key={o.offerId}
                  offer={o}
                  name={data.names[o.residentId] ?? "您的家人"}
                  busy={busy === o.offerId}
                  onAccept={() => void accept(o)}
                />
              ))}
            </View>
          ) : null}

          <View id="mine-upcoming">
            <View className="section-title">待就诊（{upcoming.length}）</View>
            {upcoming.length === 0 ? (
              <View className="card muted" id="mine-upcoming-empty">
                暂无待就诊的预约
                <View className="link" id="mine-to-book" onClick={() => navigate(PAGES.appointments)}>
                  去预约 ›
                </View>
              </View>
            ) : (
              upcoming.map(card)
            )}
          </View>

          <View id="mine-past">
            <View className="section-title">
              历史预约（{past.length}
              {data.nextCursor ? "+" : ""}）
            </View>
            {past.length === 0 && !data.nextCursor ? <View className="card muted">暂无历史预约</View> : null}
            {past.map(card)}
          </View>
          {moreError ? (
            <View className="notice notice--error" id="mine-more-error">
              {moreError}
            </View>
          ) : null}
          <LoadMore
            id="mine-more"
            hasMore={!!data.nextCursor}
            loading={loadingMore}
            onMore={() => void loadMore()}
          />
        </>
      ) : null}
    </PageShell>
  );
}

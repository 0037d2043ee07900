import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useMemo, useRef, useState } from "react";
import { DateStrip } from "../../components/DateStrip";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { SlotList } from "../../components/SlotList";
import { SubscribeStatus } from "../../components/SubscribeStatus";
import { Button, Input, Loading } from "../../components/ui";
import {
  dateStrip,
  eligibleServiceTypes,
  newIdempotencyKey,
  SERVICE_TYPE_LABELS,
  whenText,
} from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { bookErrorText } from "../../lib/book-errors";
import { type Person, peopleOf } from "../../lib/people";
import { useSubscribe } from "../../lib/subscribe";
import { useAsync } from "../../lib/use-async";
import { useSlots } from "../../lib/use-slots";
import { bookAppointment, joinWaitlist } from "../../services/appointments";
import { listResidentContracts } from "../../services/contracts";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Appointment, Contract, ServiceType, Slot } from "../../services/types";

/** Someone the account may book for, with the running contract that lets them book (if any). */
export interface Bookable extends Person {
  /** The active (or terminating) contract: bookings go to its team. */
  contract: Contract | null;
  /** A contract still waiting for review. */
  pending: Contract | null;
}

interface AppointmentsData {
  noProfile: boolean;
  people: Bookable[];
}

async function loadPeople(): Promise<AppointmentsData> {
  const me = await getMe();
  if (!me.profile) return { noProfile: true, people: [] };
  const people = peopleOf(me);
  const lists = await Promise.all(
    people.map((p) =>
      listResidentContracts(p.residentId, { silent: true }).then(
        (page) => page.items,
        () => [] as Contract[],
      ),
    ),
  );
  return {
    noProfile: false,
    people: people.map((p, i) => {
      const contracts = lists[i] ?? [];
      return {
        ...p,
        contract: contracts.find((c) => c.status === "active" || c.status === "terminating") ?? null,
        pending: contracts.find((c) => c.status === "pending") ?? null,
      };
    }),
  };
}

export { bookErrorText };

interface Sheet {
  slot: Slot;
  person: Bookable;
  note: string;
  /** One key per attempt: a retry after a lost answer sends it again and books once. */
  key: string;
}

export default function AppointmentsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadPeople, loggedIn);
  const [days] = useState(() => dateStrip());
  const [residentId, setResidentId] = useState<string | null>(null);
  const [serviceType, setServiceType] = useState<ServiceType | null>(null);
  const [date, setDate] = useState(() => days[0]?.date ?? "");
  const [waiting, setWaiting] = useState<Record<string, number>>({});
  const [busySlot, setBusySlot] = useState<string | null>(null);
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [booking, setBooking] = useState(false);
  const [error, setError] = useState<{ code: string; text: string; retry: boolean } | null>(null);
  const [booked, setBooked] = useState<{ appointment: Appointment; person: Bookable } | null>(null);
  const shownOnce = useRef(false);

  const data = state.data;
  const person = useMemo(() => {
    const people = data?.people ?? [];
    return (
      people.find((p) => p.residentId === residentId && p.contract) ?? people.find((p) => p.contract) ?? null
    );
  }, [data, residentId]);
  const types = useMemo(() => (person ? eligibleServiceTypes(person.groups) : []), [person]);
  const type = serviceType && types.includes(serviceType) ? serviceType : (types[0] ?? null);
  const slots = useSlots(person?.contract?.teamId ?? null, date, type);

  Taro.useDidShow(() => {
    // Coming back (e.g. from 我的预约 after a cancellation): the remaining places may have changed.
    if (shownOnce.current) slots.reload();
    shownOnce.current = true;
  });

  const openSheet = (slot: Slot) => {
    if (!person) return;
    setError(null);
    setSheet({ slot, person, note: "", key: newIdempotencyKey() });
  };

  const subscribe = useSubscribe();

  /** 确认预约: the WeChat reminder request comes first, synchronously (nothing awaited before it). */
  const confirm = () => {
    void subscribe.request(["visitReminder", "notice"]);
    void book();
  };

  const book = async () => {
    if (!sheet || booking) return;
    setBooking(true);
    setError(null);
    try {
      const note = sheet.note.trim();
      const appointment = await bookAppointment(
        { slotId: sheet.slot.slotId, residentId: sheet.person.residentId, ...(note ? { note } : {}) },
        sheet.key,
      );
      setBooked({ appointment, person: sheet.person });
      setSheet(null);
    } catch (err) {
      const failure = bookErrorText(err);
      setError(failure);
      void Taro.showToast({ title: failure.text, icon: "none", duration: 2500 }).catch(() => undefined);
      if (!failure.retry) {
        // A definite answer: the next attempt is a new request with a new key.
        setSheet((s) => (s ? { ...s, key: newIdempotencyKey() } : s));
        if (failure.code === "SLOT_FULL" || failure.code === "SLOT_CLOSED" || failure.code === "SLOT_PAST") {
          setSheet(null);
          slots.reload();
        }
      }
    } finally {
      setBooking(false);
    }
  };

  const wait = async (slot: Slot) => {
    if (!person || busySlot) return;
    setBusySlot(slot.slotId);
    try {
      const entry = await joinWaitlist(slot.slotId, person.residentId);
      setWaiting((w) => ({ ...w, [slot.slotId]: entry.position }));
      void Taro.showToast({ title: `已加入候补，排在第 ${entry.position} 位`, icon: "none" }).catch(
        () => undefined,
      );
    } catch {
      // request() showed the server's message.
    } finally {
      setBusySlot(null);
    }
  };

  if (booked) {
    const a = booked.appointment;
    return (
      <PageShell title="预约服务" id="appointments">
        <View className="card success" id="appt-success" data-appointment-id={a.appointmentId}>
          <View className="success__mark">✓</View>
          <View className="success__title">预约成功</View>
          <View className="success__desc" id="appt-success-detail">
            {booked.person.name}（{booked.person.relation}）· {a.serviceName}
            <View>{whenText(a)}</View>
            <View>{booked.person.contract?.teamName ?? ""}</View>
          </View>
          <View className="success__desc">请按时到达；如需取消，请在开始前 2 小时在「我的预约」中操作。</View>
        </View>
        <SubscribeStatus outcome={subscribe.outcome} id="appt-subscribe-status" />
        <View className="actions">
          <Button
            block
            type="primary"
            size="large"
            id="appt-success-to-mine"
            onClick={() => navigate(PAGES.myAppointments)}
          >
            查看我的预约
          </Button>
          <Button
            block
            fill="outline"
            type="primary"
            size="large"
            id="appt-success-again"
            onClick={() => {
              setBooked(null);
              slots.reload();
            }}
          >
            继续预约
          </Button>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell
      title="预约服务"
      subtitle="选择就诊人、服务和时间，向签约团队预约"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="appointments"
    >
      {data?.noProfile ? (
        <EmptyState
          title="请先完善个人信息"
          description="预约服务需要实名信息并签约家庭医生。"
          action={
            <View className="state__actions">
              <Button type="primary" id="appt-to-profile" onClick={() => navigate(PAGES.profile)}>
                去完善
              </Button>
            </View>
          }
        />
      ) : null}
      {data && !data.noProfile ? (
        <>
          <View
            className="notice notice--info appt-mine-link"
            id="appt-to-mine"
            onClick={() => navigate(PAGES.myAppointments)}
          >
            查看或取消已有预约：我的预约 ›
          </View>

          <View className="card">
            <View className="section-title">就诊人</View>
            <View className="choices" id="appt-people">
              {data.people.map((p) => {
                const active = person?.residentId === p.residentId;
                return (
                  <View
                    key={p.residentId}
                    id={`appt-person-${p.residentId}`}
                    className={`choice${active ? " choice--active" : ""}${p.contract ? "" : " choice--disabled"}`}
                    onClick={() => {
                      if (!p.contract) return;
                      setResidentId(p.residentId);
                      setError(null);
                    }}
                  >
                    <View className="choice__head">
                      <View className="choice__title">
                        {active ? "✓ " : ""}
                        {p.name}
                        <View className="choice__badge">{p.relation}</View>
                      </View>
                      {p.contract ? <View className="choice__extra">{p.contract.teamName}</View> : null}
                    </View>
                    {p.contract ? null : p.pending ? (
                      <View className="choice__desc" id={`appt-person-${p.residentId}-pending`}>
                        签约待审核，审核通过后即可预约
                      </View>
                    ) : (
                      <View className="choice__desc" id={`appt-person-${p.residentId}-unsigned`}>
                        请先签约
                        <View
                          className="link"
                          id={`appt-person-${p.residentId}-sign`}
                          onClick={(e) => {
                            e.stopPropagation();
                            navigate(`${PAGES.sign}?residentId=${encodeURIComponent(p.residentId)}`);
                          }}
                        >
                          去签约 ›
                        </View>
                      </View>
                    )}
                  </View>
                );
              })}
            </View>
            <View className="form-field__hint">只能向签约生效的家庭医生团队预约。</View>
          </View>

          {!person ? (
            <EmptyState
              title="还没有可预约的家人"
              description="签约家庭医生并审核通过后，就可以预约门诊、随访等服务。"
              action={
                <View className="state__actions">
                  <Button type="primary" id="appt-empty-sign" onClick={() => navigate(PAGES.sign)}>
                    去签约
                  </Button>
                </View>
              }
            />
          ) : (
            <>
              <View className="card">
                <View className="section-title">服务类型</View>
                <OptionChips<ServiceType>
                  idPrefix="appt-type"
                  options={types.map((t) => ({ value: t, label: SERVICE_TYPE_LABELS[t] }))}
                  value={type}
                  onChange={(v) => {
                    setServiceType(v);
                    setError(null);
                  }}
                />
                <View className="form-field__hint">只显示{person.name}可以预约的服务。</View>
              </View>

              <View className="card">
                <View className="section-title">选择日期</View>
                <DateStrip idPrefix="appt-date" days={days} value={date} onChange={setDate} />
                {slots.loading && !slots.slots ? (
                  <View className="state state--loading" id="appt-slots-loading">
                    <Loading type="circular">正在加载号源…</Loading>
                  </View>
                ) : null}
                {slots.error ? (
                  <View className="notice notice--error" id="appt-slots-error" onClick={slots.reload}>
                    {slots.error}（点此重试）
                  </View>
                ) : null}
                {slots.slots && slots.slots.length === 0 && !slots.error ? (
                  <EmptyState
                    title="当天暂无号源"
                    description="团队尚未发布该服务的排班，请选择其他日期或服务。"
                  />
                ) : null}
                {slots.slots && slots.slots.length > 0 ? (
                  <SlotList
                    slots={slots.slots}
                    waiting={waiting}
                    busySlotId={busySlot}
                    onBook={openSheet}
                    onWaitlist={(s) => void wait(s)}
                  />
                ) : null}
              </View>
            </>
          )}
          {error && !sheet ? (
            <View className="notice notice--error" id="appt-error" data-code={error.code}>
              {error.text}
            </View>
          ) : null}
        </>
      ) : null}

      {sheet ? (
        <View className="sheet-mask" id="appt-sheet-mask" onClick={() => !booking && setSheet(null)}>
          <View className="sheet" id="appt-sheet" onClick={(e) => e.stopPropagation()}>
            <View className="sheet__title">确认预约</View>
            <View className="result__row">
              <View className="result__label">就诊人</View>
              <View className="result__value" id="appt-sheet-who">
                {sheet.person.name}（{sheet.person.relation}）
              </View>
            </View>
            <View className="result__row">
              <View className="result__label">服务</View>
              <View className="result__value" id="appt-sheet-what">
                {sheet.slot.serviceName}
              </View>
            </View>
            <View className="result__row">
              <View className="result__label">时间</View>
              <View className="result__value" id="appt-sheet-when">
                {whenText(sheet.slot)}
              </View>
            </View>
            <View className="result__row">
              <View className="result__label">团队</View>
              <View className="result__value" id="appt-sheet-team">
                {sheet.person.contract?.teamName ?? ""}
              </View>
            </View>
            <FormField id="appt-note" label="备注（选填）" hint="如：想咨询血压用药">
              <Input
                id="appt-note"
                name="note"
                placeholder="给医生的留言，200 字以内"
                value={sheet.note}
                maxLength={200}
                onChange={(v) =>
                  // A different request: a new key (the server refuses a key reused for another body).
                  setSheet((s) => (s ? { ...s, note: v, key: newIdempotencyKey() } : s))
                }
              />
            </FormField>
            {error ? (
              <View className="notice notice--error" id="appt-error" data-code={error.code}>
                {error.text}
              </View>
            ) : null}
            <View className="actions">
              <Button block type="primary" size="large" id="appt-confirm" loading={booking} onClick={confirm}>
                {error?.retry ? "重试" : "确认预约"}
              </Button>
              <Button
                block
                fill="none"
                id="appt-sheet-cancel"
                disabled={booking}
                onClick={() => setSheet(null)}
              >
                再想想
              </Button>
            </View>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

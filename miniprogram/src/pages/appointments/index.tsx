import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useMemo, useRef, useState } from "react";
import { DateStrip } from "../../components/DateStrip";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { SlotList } from "../../components/SlotList";
import { Button, Loading } from "../../components/ui";
import { dateStrip, eligibleServiceTypes, SERVICE_TYPE_LABELS } from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { useAsync } from "../../lib/use-async";
import { useSlots } from "../../lib/use-slots";
import { joinWaitlist } from "../../services/appointments";
import { PAGES } from "../../services/routes";
import type { ServiceType, Slot } from "../../services/types";
import { BookedCard } from "./BookedCard";
import { BookingSheet } from "./BookingSheet";
import { loadPeople } from "./load-people";
import { PeoplePicker } from "./PeoplePicker";
import { useBooking } from "./use-booking";

export default function AppointmentsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadPeople, loggedIn);
  const [days] = useState(() => dateStrip());
  const [residentId, setResidentId] = useState<string | null>(null);
  const [serviceType, setServiceType] = useState<ServiceType | null>(null);
  const [date, setDate] = useState(() => days[0]?.date ?? "");
  const [waiting, setWaiting] = useState<Record<string, number>>({});
  const [busySlot, setBusySlot] = useState<string | null>(null);
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
  const { sheet, setSheet, booking, error, setError, booked, setBooked, ...bookingActions } = useBooking(
    slots.reload,
  );

  Taro.useDidShow(() => {
    // Coming back (e.g. from 我的预约 after a cancellation): the remaining places may have changed.
    if (shownOnce.current) slots.reload();
    shownOnce.current = true;
  });

  const openSheet = (slot: Slot) => {
    if (person) bookingActions.openSheet(slot, person);
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
    return (
      <BookedCard
        booked={booked}
        subscribeOutcome={bookingActions.subscribe.outcome}
        onAgain={() => {
          setBooked(null);
          slots.reload();
        }}
      />
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

          <PeoplePicker
            people={data.people}
            person={person}
            onPick={(id) => {
              setResidentId(id);
              setError(null);
            }}
          />

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

      <BookingSheet
        sheet={sheet}
        error={error}
        booking={booking}
        onNote={bookingActions.setNote}
        onConfirm={bookingActions.confirm}
        onCancel={() => setSheet(null)}
      />
    </PageShell>
  );
}

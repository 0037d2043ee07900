import type { PriorityGroup } from "@shared/enums";
import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import {
  dateStrip,
  eligibleServiceTypes,
  newIdempotencyKey,
  SERVICE_TYPE_LABELS,
  whenText,
} from "../lib/appointments";
import { bookErrorText } from "../lib/book-errors";
import { useSlots } from "../lib/use-slots";
import { bookAppointment } from "../services/appointments";
import type { Appointment, ServiceType, Slot } from "../services/types";
import { DateStrip } from "./DateStrip";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { EmptyState } from "./PageShell";
import { SlotList } from "./SlotList";
import { Button, Loading } from "./ui";

export interface BookOnBehalfProps {
  /** The staff member's team: only its slots are offered (the server refuses any other). */
  teamId: string;
  residentId: string;
  name: string;
  groups: readonly PriorityGroup[];
  /** The service the work-list item asks for (the follow-up, assessment or home visit owed). */
  defaultType?: ServiceType;
  /** Ids: `<idPrefix>-book-…`, the slots `<idPrefix>-slot-<slotId>…`. */
  idPrefix: string;
  onDone: (appointment: Appointment) => void;
  onCancel: () => void;
}

/**
 * 代预约: team staff book one of their team's slots for a resident signed with them, through the
 * resident's own booking API (same rules, same Idempotency-Key per attempt); the server records
 * `bookedBy: "team"` and tells the resident and their representative in the inbox. The same
 * date strip and slot list as the resident's booking page; a full slot offers no waitlist here.
 */
export function BookOnBehalf({
  teamId,
  residentId,
  name,
  groups,
  defaultType,
  idPrefix,
  onDone,
  onCancel,
}: BookOnBehalfProps) {
  const [days] = useState(() => dateStrip());
  const types = eligibleServiceTypes(groups);
  const [type, setType] = useState<ServiceType>(
    defaultType && types.includes(defaultType) ? defaultType : (types[0] ?? "consultation"),
  );
  const [date, setDate] = useState(() => days[0]?.date ?? "");
  const slots = useSlots(teamId, date, type);
  // One key per attempt: a retry after a lost answer sends it again and books once.
  const [chosen, setChosen] = useState<{ slot: Slot; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof bookErrorText> | null>(null);

  const choose = (slot: Slot) => {
    setFailure(null);
    setChosen({ slot, key: newIdempotencyKey() });
  };

  const book = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const appointment = await bookAppointment({ slotId: chosen.slot.slotId, residentId }, chosen.key);
      void Taro.showToast({ title: `已为${name}预约，已通知居民`, icon: "none" }).catch(() => undefined);
      onDone(appointment);
    } catch (err) {
      const found = bookErrorText(err);
      setFailure(found);
      if (!found.retry) {
        // A definite answer: the next attempt is a new request with a new key.
        setChosen((c) => (c ? { ...c, key: newIdempotencyKey() } : c));
        if (found.code === "SLOT_FULL" || found.code === "SLOT_CLOSED" || found.code === "SLOT_PAST") {
          setChosen(null);
          slots.reload();
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="inline-form" id={`${idPrefix}-book-form`}>
      <FormField id={`${idPrefix}-book-type`} label={`为${name}代预约`}>
        <OptionChips<ServiceType>
          idPrefix={`${idPrefix}-book-type`}
          options={types.map((t) => ({ value: t, label: SERVICE_TYPE_LABELS[t] }))}
          value={type}
          onChange={(v) => {
            setType(v);
            setChosen(null);
            setFailure(null);
          }}
        />
      </FormField>
      <DateStrip
        idPrefix={`${idPrefix}-book-date`}
        days={days}
        value={date}
        onChange={(d) => {
          setDate(d);
          setChosen(null);
          setFailure(null);
        }}
      />
      {slots.loading && !slots.slots ? (
        <View className="state state--loading" id={`${idPrefix}-book-loading`}>
          <Loading type="circular">正在加载号源…</Loading>
        </View>
      ) : null}
      {slots.error ? (
        <View className="notice notice--error" id={`${idPrefix}-book-slots-error`} onClick={slots.reload}>
          {slots.error}（点此重试）
        </View>
      ) : null}
      {slots.slots && slots.slots.length === 0 && !slots.error ? (
        <EmptyState title="当天暂无号源" description="请选择其他日期或服务，或先在「发布排班」中发布号源。" />
      ) : null}
      {slots.slots && slots.slots.length > 0 ? (
        <SlotList
          idPrefix={`${idPrefix}-slot`}
          slots={slots.slots}
          busySlotId={busy ? (chosen?.slot.slotId ?? null) : null}
          onBook={choose}
        />
      ) : null}
      {chosen ? (
        <View className="notice notice--info" id={`${idPrefix}-book-chosen`}>
          {name} · {chosen.slot.serviceName} · {whenText(chosen.slot)}
        </View>
      ) : null}
      {failure ? (
        <View className="notice notice--error" id={`${idPrefix}-book-error`} data-code={failure.code}>
          {failure.text}
        </View>
      ) : null}
      <View className="actions actions--row">
        {chosen ? (
          <Button type="primary" id={`${idPrefix}-book-confirm`} loading={busy} onClick={() => void book()}>
            {failure?.retry ? "重试" : "确认代预约"}
          </Button>
        ) : null}
        <Button fill="none" id={`${idPrefix}-book-cancel`} disabled={busy} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}

import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { declineHomeVisit, scheduleHomeVisit } from "../services/care";
import { FormField } from "./FormField";
import { Button, Input } from "./ui";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A home-visit request's two answers: schedule it (date, time, minutes) or decline with a reason. */
export function HomeVisitActions({
  requestId,
  idPrefix,
  defaultDate,
  onDone,
}: {
  requestId: string;
  idPrefix: string;
  defaultDate: string;
  onDone: () => void;
}) {
  const [mode, setMode] = useState<"schedule" | "decline" | null>(null);
  const [date, setDate] = useState(defaultDate);
  const [time, setTime] = useState("09:00");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      void Taro.showToast({ title: done, icon: "none" }).catch(() => undefined);
      setMode(null);
      onDone();
    } catch {
      // request() showed the server's message.
    } finally {
      setBusy(false);
    }
  };

  const schedule = () => {
    if (!DATE.test(date) || !TIME.test(time)) {
      setError("请按 2026-12-01 和 09:00 的格式填写日期和时间");
      return;
    }
    const startsAt = new Date(`${date}T${time}:00+08:00`).toISOString();
    void run(() => scheduleHomeVisit(requestId, { startsAt, durationMinutes: 30 }), "已安排上门，已通知居民");
  };
  const decline = () => {
    if (!reason.trim()) {
      setError("请填写原因");
      return;
    }
    void run(() => declineHomeVisit(requestId, reason.trim()), "已告知居民");
  };

  if (!mode)
    return (
      <View className="actions actions--row">
        <Button size="small" type="primary" id={`${idPrefix}-schedule`} onClick={() => setMode("schedule")}>
          安排上门
        </Button>
        <Button size="small" fill="outline" id={`${idPrefix}-decline`} onClick={() => setMode("decline")}>
          无法安排
        </Button>
      </View>
    );
  return (
    <View className="inline-form" id={`${idPrefix}-${mode}-form`}>
      {mode === "schedule" ? (
        <FormField id={`${idPrefix}-when`} label="上门时间（30 分钟）" required error={error}>
          <Input
            id={`${idPrefix}-date`}
            name="date"
            value={date}
            onChange={(v) => {
              setDate(v);
              setError(null);
            }}
          />
          <Input
            id={`${idPrefix}-time`}
            name="time"
            value={time}
            onChange={(v) => {
              setTime(v);
              setError(null);
            }}
          />
        </FormField>
      ) : (
        <FormField id={`${idPrefix}-reason`} label="原因（将告知居民）" required error={error}>
          <Input
            id={`${idPrefix}-reason`}
            name="reason"
            value={reason}
            maxLength={200}
            onChange={(v) => {
              setReason(v);
              setError(null);
            }}
          />
        </FormField>
      )}
      <View className="actions actions--row">
        <Button
          type={mode === "schedule" ? "primary" : "danger"}
          id={`${idPrefix}-${mode}-submit`}
          loading={busy}
          onClick={mode === "schedule" ? schedule : decline}
        >
          {mode === "schedule" ? "确认安排" : "确认"}
        </Button>
        <Button fill="none" id={`${idPrefix}-${mode}-cancel`} onClick={() => setMode(null)}>
          取消
        </Button>
      </View>
    </View>
  );
}

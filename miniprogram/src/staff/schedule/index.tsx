import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { DateTimePicker } from "../../components/DateTimePicker";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { NoTeamState, PageShell } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import { addDays, SERVICE_TYPE_LABELS, SERVICE_TYPES, todayInChina } from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { formatDateTime, isStaff } from "../../lib/contracts";
import { useAsync } from "../../lib/use-async";
import { type FieldErrors, hasErrors } from "../../lib/validation";
import { createSchedule } from "../../services/appointments";
import { getMe } from "../../services/me";
import { ApiError, fieldErrorsFrom } from "../../services/request";
import { PAGES } from "../../services/routes";
import type { ScheduleResult, ServiceType } from "../../services/types";

const WEEKDAYS = [
  { value: "1", label: "周一" },
  { value: "2", label: "周二" },
  { value: "3", label: "周三" },
  { value: "4", label: "周四" },
  { value: "5", label: "周五" },
  { value: "6", label: "周六" },
  { value: "7", label: "周日" },
] as const;
type Weekday = (typeof WEEKDAYS)[number]["value"];

const MINUTES = ["10", "15", "20", "30", "60"] as const;
type Minutes = (typeof MINUTES)[number];

export interface ScheduleForm {
  serviceType: ServiceType | null;
  startDate: string;
  endDate: string;
  weekdays: Weekday[];
  startTime: string;
  endTime: string;
  slotMinutes: Minutes;
  capacity: string;
}
type Field =
  | "serviceType"
  | "startDate"
  | "endDate"
  | "weekdays"
  | "startTime"
  | "endTime"
  | "slotMinutes"
  | "capacityPerSlot";
const FIELDS: readonly Field[] = [
  "serviceType",
  "startDate",
  "endDate",
  "weekdays",
  "startTime",
  "endTime",
  "slotMinutes",
  "capacityPerSlot",
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The server's checks (shared/schemas/appointments.ts CreateScheduleBody), in the same words. */
export function validateSchedule(v: ScheduleForm, today: string = todayInChina()): FieldErrors<Field> {
  const errors: FieldErrors<Field> = {};
  if (!v.serviceType) errors.serviceType = "请选择服务类型";
  if (!DATE.test(v.startDate)) errors.startDate = "日期格式为 年-月-日，如 2026-11-24";
  else if (v.startDate < today) errors.startDate = "开始日期不能早于今天";
  if (!DATE.test(v.endDate)) errors.endDate = "日期格式为 年-月-日，如 2026-11-30";
  else if (DATE.test(v.startDate) && v.endDate < v.startDate) errors.endDate = "结束日期不能早于开始日期";
  if (v.weekdays.length === 0) errors.weekdays = "请至少选择一天";
  if (!HHMM.test(v.startTime)) errors.startTime = "时间格式应为 HH:mm";
  if (!HHMM.test(v.endTime)) errors.endTime = "时间格式应为 HH:mm";
  else if (HHMM.test(v.startTime) && v.endTime <= v.startTime) errors.endTime = "结束时间须晚于开始时间";
  const capacity = Number(v.capacity);
  if (!/^\d+$/.test(v.capacity.trim()) || capacity < 1 || capacity > 200)
    errors.capacityPerSlot = "每个时段可约人数为 1–200";
  return errors;
}

function initialForm(): ScheduleForm {
  const tomorrow = addDays(todayInChina(), 1);
  return {
    serviceType: "consultation",
    startDate: tomorrow,
    endDate: addDays(tomorrow, 6),
    weekdays: ["1", "2", "3", "4", "5"],
    startTime: "08:00",
    endTime: "11:30",
    slotMinutes: "30",
    capacity: "5",
  };
}

async function loadStaff() {
  const me = await getMe();
  return { teamId: me.user.teamId ?? null, staff: isStaff(me.user.roles) };
}

export default function SchedulePage() {
  const loggedIn = useRequireLogin();
  const staff = useAsync(loadStaff, loggedIn);
  const [form, setForm] = useState<ScheduleForm>(initialForm);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [other, setOther] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ScheduleResult | null>(null);

  const patch = (next: Partial<ScheduleForm>, field: Field) => {
    setForm((f) => ({ ...f, ...next }));
    setErrors((e) => ({ ...e, [field]: undefined }));
    setOther(null);
  };

  const teamId = staff.data?.staff ? staff.data.teamId : null;

  const submit = async () => {
    if (!teamId || busy || !form.serviceType) {
      setErrors(validateSchedule(form));
      return;
    }
    const found = validateSchedule(form);
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    setOther(null);
    try {
      setResult(
        await createSchedule(teamId, {
          serviceType: form.serviceType,
          startDate: form.startDate,
          endDate: form.endDate,
          weekdays: form.weekdays.map(Number).sort(),
          startTime: form.startTime,
          endTime: form.endTime,
          slotMinutes: Number(form.slotMinutes),
          capacityPerSlot: Number(form.capacity),
        }),
      );
    } catch (err) {
      const mapped = fieldErrorsFrom(err, FIELDS);
      setErrors(mapped.fields);
      const text =
        mapped.other.join("；") ||
        (hasErrors(mapped.fields)
          ? "请按提示修改后再发布"
          : err instanceof ApiError
            ? err.message
            : "发布失败");
      setOther(text);
      void Taro.showToast({ title: text, icon: "none" }).catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  const toggleWeekday = (d: Weekday) =>
    patch(
      { weekdays: form.weekdays.includes(d) ? form.weekdays.filter((x) => x !== d) : [...form.weekdays, d] },
      "weekdays",
    );

  const noTeam = staff.data && (!staff.data.teamId || !staff.data.staff);

  if (result) {
    return (
      <PageShell title="发布排班" id="schedule">
        <View className="card success" id="schedule-result">
          <View className="success__mark">✓</View>
          <View className="success__title">排班已发布</View>
          <View className="success__desc" id="schedule-result-counts">
            新生成 {result.slotsCreated} 个号源，跳过 {result.slotsSkipped} 个（已存在）
          </View>
          {result.firstSlotAt && result.lastSlotAt ? (
            <View className="success__desc" id="schedule-result-range">
              {formatDateTime(result.firstSlotAt)} 至 {formatDateTime(result.lastSlotAt)}
            </View>
          ) : null}
        </View>
        <View className="actions">
          <Button
            block
            type="primary"
            size="large"
            id="schedule-to-day"
            onClick={() => navigate(PAGES.teamDay)}
          >
            查看今日预约
          </Button>
          <Button
            block
            fill="outline"
            type="primary"
            size="large"
            id="schedule-again"
            onClick={() => setResult(null)}
          >
            继续发布
          </Button>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell
      title="发布排班"
      subtitle="按日期范围和星期生成号源，居民即可预约"
      loading={!loggedIn || (staff.loading && !staff.data)}
      error={staff.error}
      onRetry={staff.reload}
      id="schedule"
    >
      {noTeam ? <NoTeamState /> : null}
      {teamId ? (
        <View className="card" id="schedule-form">
          <FormField id="schedule-type" label="服务类型" required error={errors.serviceType}>
            <OptionChips<ServiceType>
              idPrefix="schedule-type"
              options={SERVICE_TYPES.map((t) => ({ value: t, label: SERVICE_TYPE_LABELS[t] }))}
              value={form.serviceType}
              onChange={(v) => patch({ serviceType: v }, "serviceType")}
            />
          </FormField>
          <FormField
            id="schedule-startDate"
            label="开始日期"
            required
            error={errors.startDate}
            hint="点击选择日期"
          >
            <DateTimePicker
              id="schedule-startDate"
              mode="date"
              value={form.startDate}
              start={todayInChina()}
              onChange={(v) => patch({ startDate: v }, "startDate")}
            />
          </FormField>
          <FormField
            id="schedule-endDate"
            label="结束日期"
            required
            error={errors.endDate}
            hint="一次最多 92 天"
          >
            <DateTimePicker
              id="schedule-endDate"
              mode="date"
              value={form.endDate}
              start={form.startDate || todayInChina()}
              onChange={(v) => patch({ endDate: v }, "endDate")}
            />
          </FormField>
          <FormField id="schedule-weekdays" label="每周出诊日" required error={errors.weekdays}>
            <OptionChips<Weekday>
              idPrefix="schedule-weekday"
              options={WEEKDAYS}
              value={form.weekdays}
              multiple
              onChange={toggleWeekday}
            />
          </FormField>
          <View className="form-row">
            <FormField id="schedule-startTime" label="开始时间" required error={errors.startTime}>
              <DateTimePicker
                id="schedule-startTime"
                mode="time"
                value={form.startTime}
                onChange={(v) => patch({ startTime: v }, "startTime")}
              />
            </FormField>
            <FormField id="schedule-endTime" label="结束时间" required error={errors.endTime}>
              <DateTimePicker
                id="schedule-endTime"
                mode="time"
                value={form.endTime}
                onChange={(v) => patch({ endTime: v }, "endTime")}
              />
            </FormField>
          </View>
          <FormField id="schedule-minutes" label="每个时段（分钟）" required error={errors.slotMinutes}>
            <OptionChips<Minutes>
              idPrefix="schedule-minutes"
              options={MINUTES.map((m) => ({ value: m, label: `${m} 分钟` }))}
              value={form.slotMinutes}
              onChange={(v) => patch({ slotMinutes: v }, "slotMinutes")}
            />
          </FormField>
          <FormField id="schedule-capacity" label="每个时段可约人数" required error={errors.capacityPerSlot}>
            <Input
              id="schedule-capacity"
              name="capacity"
              type="number"
              placeholder="5"
              value={form.capacity}
              maxLength={3}
              onChange={(v) => patch({ capacity: v }, "capacityPerSlot")}
            />
          </FormField>
          {other ? (
            <View className="notice notice--error" id="schedule-error">
              {other}
            </View>
          ) : null}
          <View className="actions">
            <Button
              block
              type="primary"
              size="large"
              id="schedule-submit"
              loading={busy}
              onClick={() => void submit()}
            >
              发布排班
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}

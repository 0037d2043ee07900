import * as z from "zod/mini";
import { PriorityGroup, ServiceType } from "../enums.js";
import { DateString, DateTimeString, EntityId, PageQuery } from "./common.js";

export const SERVICE_TYPE_NAMES: Record<z.infer<typeof ServiceType>, string> = {
  consultation: "全科门诊",
  annual_assessment: "年度健康评估",
  chronic_followup: "慢病随访",
  home_visit: "上门服务",
  physical_exam: "健康体检",
  child_health: "儿童保健",
  prenatal: "产前检查",
};

const HHMM = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "时间格式应为 HH:mm"));

export const CreateScheduleBody = z
  .object({
    serviceType: ServiceType,
    startDate: DateString,
    endDate: DateString,
    weekdays: z.array(z.int().check(z.minimum(1), z.maximum(7))).check(z.minLength(1), z.maxLength(7)),
    startTime: HHMM,
    endTime: HHMM,
    slotMinutes: z.int().check(z.minimum(5), z.maximum(240)),
    capacityPerSlot: z.int().check(z.minimum(1), z.maximum(200)),
  })
  .check(
    z.superRefine((b, ctx) => {
      if (b.endDate < b.startDate)
        ctx.addIssue({ code: "custom", path: ["endDate"], message: "结束日期不能早于开始日期" });
      if (b.endTime <= b.startTime)
        ctx.addIssue({ code: "custom", path: ["endTime"], message: "结束时间须晚于开始时间" });
    }),
  );
export type CreateScheduleBody = z.infer<typeof CreateScheduleBody>;

export const ScheduleResult = z.object({
  scheduleId: z.string(),
  slotsCreated: z.int(),
  slotsSkipped: z.int(),
  firstSlotAt: z.nullable(DateTimeString),
  lastSlotAt: z.nullable(DateTimeString),
});

export const Slot = z.object({
  slotId: z.string(),
  teamId: z.string(),
  serviceType: ServiceType,
  serviceName: z.string(),
  date: DateString,
  startsAt: DateTimeString,
  endsAt: DateTimeString,
  capacity: z.int(),
  remaining: z.int(),
  closed: z.boolean(),
  /** Only these groups may book (e.g. prenatal → pregnant); empty for everyone. */
  groups: z.array(PriorityGroup),
});
export type Slot = z.infer<typeof Slot>;

export const SlotsQuery = z.extend(PageQuery, {
  from: z.optional(DateString),
  to: z.optional(DateString),
  serviceType: z.optional(ServiceType),
});

/** `unrecorded`: the visit's day ended with no outcome recorded (未记录); never counted as a no-show. */
export const APPOINTMENT_STATUSES = [
  "booked",
  "checked_in",
  "completed",
  "cancelled",
  "no_show",
  "unrecorded",
] as const;
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
export const APPOINTMENT_STATUS_NAMES: Record<AppointmentStatus, string> = {
  booked: "已预约",
  checked_in: "已签到",
  completed: "已完成",
  cancelled: "已取消",
  no_show: "爽约",
  unrecorded: "未记录",
};

export const BookBody = z.object({
  slotId: EntityId,
  residentId: EntityId,
  note: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});

/** Who and which visit: shared by an appointment and a waitlist offer of a place. */
const visitFields = {
  slotId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  teamId: z.string(),
  serviceType: ServiceType,
  serviceName: z.string(),
  date: DateString,
  startsAt: DateTimeString,
  endsAt: DateTimeString,
};

export const Appointment = z.object({
  appointmentId: z.string(),
  ...visitFields,
  status: AppointmentStatus,
  statusName: z.string(),
  note: z.nullable(z.string()),
  cancellation: z.nullable(
    z.object({ by: z.enum(["resident", "team"]), reason: z.string(), at: DateTimeString }),
  ),
  createdAt: DateTimeString,
  /** Who booked it: the resident's side, or team staff on the resident's behalf (代预约). */
  bookedBy: z.optional(z.enum(["resident", "team"])),
  /** Where the visit takes place when not at the centre (a home visit: the resident's address). */
  place: z.optional(z.nullable(z.string())),
  homeVisitRequestId: z.optional(z.nullable(z.string())),
});
export type Appointment = z.infer<typeof Appointment>;

export const AppointmentIdParams = z.object({ appointmentId: EntityId });
export const SlotIdParams = z.object({ slotId: EntityId });
export const CancelBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, "请填写取消原因"), z.maxLength(200)),
});
export const StatusBody = z.object({ status: z.enum(["checked_in", "completed", "no_show"]) });
export const CloseSlotBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, "请填写停诊原因"), z.maxLength(200)),
});
export const TeamDayParams = z.object({ teamId: EntityId, date: DateString });
export const CloseDayResult = z.object({
  teamId: z.string(),
  date: DateString,
  slotsClosed: z.int(),
  cancelledAppointments: z.int(),
});
export const TeamDayQuery = z.extend(PageQuery, { date: z.optional(DateString) });
export const MyAppointmentsQuery = z.extend(PageQuery, { residentId: z.optional(EntityId) });

export const WaitlistBody = z.object({ residentId: EntityId });
export const WaitlistEntry = z.object({
  slotId: z.string(),
  residentId: z.string(),
  position: z.int(),
  priority: z.boolean(),
  joinedAt: DateTimeString,
});
export const WaitlistOffer = z.object({
  offerId: z.string(),
  ...visitFields,
  expiresAt: DateTimeString,
  status: z.enum(["open", "accepted", "expired"]),
});
export const OfferIdParams = z.object({ offerId: EntityId });

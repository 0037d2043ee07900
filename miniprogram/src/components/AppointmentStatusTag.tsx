import { View } from "@tarojs/components";
import { APPOINTMENT_STATUS_COLOURS, APPOINTMENT_STATUS_LABELS } from "../lib/appointments";
import { labelOf } from "../lib/labels";
import type { Appointment } from "../services/types";
import { Tag } from "./ui";

/** 已预约 / 已签到 / 已完成 / 已取消 / 爽约, coloured by status. */
export function AppointmentStatusTag({
  appointment,
  id,
}: {
  appointment: Pick<Appointment, "status" | "statusName">;
  id?: string;
}) {
  return (
    <View className="status-tag" id={id} data-status={appointment.status}>
      <Tag {...APPOINTMENT_STATUS_COLOURS[appointment.status]} round>
        {appointment.statusName || labelOf(APPOINTMENT_STATUS_LABELS, appointment.status)}
      </Tag>
    </View>
  );
}

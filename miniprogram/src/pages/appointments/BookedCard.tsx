import { View } from "@tarojs/components";
import { PageShell } from "../../components/PageShell";
import { SubscribeStatus } from "../../components/SubscribeStatus";
import { Button } from "../../components/ui";
import { whenText } from "../../lib/appointments";
import { navigate } from "../../lib/auth-guard";
import type { useSubscribe } from "../../lib/subscribe";
import { PAGES } from "../../services/routes";
import type { Appointment } from "../../services/types";
import type { Bookable } from "./load-people";

/** 预约成功: what was booked, the reminder subscription's outcome, and where to go next. */
export function BookedCard({
  booked,
  subscribeOutcome,
  onAgain,
}: {
  booked: { appointment: Appointment; person: Bookable };
  subscribeOutcome: ReturnType<typeof useSubscribe>["outcome"];
  onAgain: () => void;
}) {
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
      <SubscribeStatus outcome={subscribeOutcome} id="appt-subscribe-status" />
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
        <Button block fill="outline" type="primary" size="large" id="appt-success-again" onClick={onAgain}>
          继续预约
        </Button>
      </View>
    </PageShell>
  );
}

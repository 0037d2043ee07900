import { View } from "@tarojs/components";
import { whenText } from "../lib/appointments";
import { navigate } from "../lib/auth-guard";
import type { StatusCard } from "../lib/home-status";
import { callPhone, phoneText } from "../lib/phone";
import { PAGES } from "../services/routes";
import { StatusTag } from "./ContractSummary";
import { Button } from "./ui";

/**
 * One person's status on the home page: the contract's state in words, the family doctor with a
 * one-tap call, the next visit with its place and time, and the unread notices.
 */
export function FamilyStatusCard({ card }: { card: StatusCard }) {
  const { person, contract } = card;
  const id = `status-${person.residentId}`;
  const canSign = !contract || ["rejected", "withdrawn", "terminated", "switched"].includes(contract.status);
  return (
    <View className="card status-card" id={id} data-status={contract?.status ?? "none"}>
      <View className="status-card__head">
        <View className="status-card__who" id={`${id}-who`}>
          {person.self ? "本人" : person.relation} · {person.name}
        </View>
        {contract ? <StatusTag contract={contract} id={`${id}-tag`} /> : null}
      </View>
      <View className="status-card__headline" id={`${id}-headline`}>
        {card.headline}
      </View>
      {card.detail ? (
        <View className="status-card__detail" id={`${id}-detail`}>
          {card.detail}
        </View>
      ) : null}

      {card.doctorName || card.servicePhone ? (
        <View className="status-card__row" id={`${id}-doctor`}>
          <View className="status-card__text">
            {card.doctorName ? `家庭医生 ${card.doctorName}` : "签约团队"}
            {card.servicePhone ? (
              <View className="status-card__sub" id={`${id}-phone`}>
                团队电话 {phoneText(card.servicePhone)}
              </View>
            ) : null}
          </View>
          {card.servicePhone ? (
            <Button
              className="status-card__call"
              id={`${id}-call`}
              type="primary"
              fill="outline"
              onClick={() => {
                if (card.servicePhone) void callPhone(card.servicePhone);
              }}
            >
              拨打电话
            </Button>
          ) : null}
        </View>
      ) : null}

      {card.nextAppointment ? (
        <View
          className="status-card__row status-card__link"
          id={`${id}-next`}
          onClick={() => navigate(PAGES.myAppointments)}
        >
          <View className="status-card__text">
            下次预约：{card.nextAppointment.serviceName}
            <View className="status-card__sub" id={`${id}-next-when`}>
              {whenText(card.nextAppointment)}
            </View>
            <View className="status-card__sub" id={`${id}-next-place`}>
              地点：{card.place}
            </View>
          </View>
        </View>
      ) : null}

      {card.unread > 0 ? (
        <View
          className="status-card__row status-card__link"
          id={`${id}-unread`}
          data-unread={card.unread}
          onClick={() => navigate(PAGES.notices)}
        >
          {card.unread} 条未读通知 ›
        </View>
      ) : null}

      {canSign ? (
        <Button
          className="status-card__action"
          id={`${id}-sign`}
          type="primary"
          block
          onClick={() => navigate(PAGES.sign)}
        >
          {contract ? "重新签约" : "去签约"}
        </Button>
      ) : null}
    </View>
  );
}

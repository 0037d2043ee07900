import { View } from "@tarojs/components";
import { slotState, timeRange } from "../lib/appointments";
import type { Slot } from "../services/types";
import { Button, Tag } from "./ui";

export interface SlotListProps {
  slots: readonly Slot[];
  /** Queue positions of the full slots the person already waits for. */
  waiting?: Readonly<Record<string, number>>;
  busySlotId?: string | null;
  onBook: (slot: Slot) => void;
  /** Offers 候补 on a full slot; without it (staff booking for a resident) a full slot is only shown. */
  onWaitlist?: (slot: Slot) => void;
  /** Ids are `<idPrefix>-<slotId>…` and the list's `<idPrefix>-list` (default `slot`). */
  idPrefix?: string;
}

/**
 * The slots of one day: time range and remaining places. An open slot offers 预约; a full one shows
 * 已约满 and offers 候补 (the waitlist) instead; a closed one offers nothing.
 */
export function SlotList({
  slots,
  waiting = {},
  busySlotId,
  onBook,
  onWaitlist,
  idPrefix = "slot",
}: SlotListProps) {
  return (
    <View className="slots" id={`${idPrefix}-list`}>
      {slots.map((slot) => {
        const id = `${idPrefix}-${slot.slotId}`;
        const state = slotState(slot);
        const position = waiting[slot.slotId];
        return (
          <View key={slot.slotId} id={id} className={`slot slot--${state}`} data-state={state}>
            <View className="slot__main">
              <View className="slot__time" id={`${id}-time`}>
                {timeRange(slot)}
              </View>
              <View className="slot__service">{slot.serviceName}</View>
            </View>
            <View className="slot__side">
              {state === "open" ? (
                <>
                  <View className="slot__remaining" id={`${id}-remaining`} data-remaining={slot.remaining}>
                    剩余 {slot.remaining} 个名额
                  </View>
                  <Button
                    size="small"
                    type="primary"
                    id={`${id}-book`}
                    loading={busySlotId === slot.slotId}
                    onClick={() => onBook(slot)}
                  >
                    预约
                  </Button>
                </>
              ) : null}
              {state === "full" ? (
                <>
                  <View className="slot__tag" id={`${id}-full`}>
                    <Tag background="#fdecea" color="#d93026">
                      已约满
                    </Tag>
                  </View>
                  {position !== undefined ? (
                    <View className="slot__waiting" id={`${id}-waiting`}>
                      已候补，第 {position} 位
                    </View>
                  ) : onWaitlist ? (
                    <Button
                      size="small"
                      fill="outline"
                      type="primary"
                      id={`${id}-waitlist`}
                      loading={busySlotId === slot.slotId}
                      onClick={() => onWaitlist(slot)}
                    >
                      候补
                    </Button>
                  ) : null}
                </>
              ) : null}
              {state === "closed" ? (
                <View className="slot__tag" id={`${id}-closed`}>
                  <Tag background="#eef1f0" color="#5f6b66">
                    已停诊
                  </Tag>
                </View>
              ) : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}

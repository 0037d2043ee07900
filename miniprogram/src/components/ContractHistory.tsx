import { View } from "@tarojs/components";
import { useState } from "react";
import { formatDateTime } from "../lib/contracts";
import {
  ACTOR_LABELS,
  CONTRACT_EVENT_LABELS,
  CONTRACT_STATUS_LABELS,
  labelOf,
  TERMINATION_REASON_LABELS,
} from "../lib/labels";
import { errorMessage } from "../lib/use-async";
import { listContractEvents } from "../services/contracts";
import type { ContractEvent } from "../services/types";

function eventText(event: ContractEvent): string {
  return CONTRACT_EVENT_LABELS[event.event] ?? `状态变为「${labelOf(CONTRACT_STATUS_LABELS, event.to)}」`;
}

function reasonText(reason: string): string {
  return labelOf(TERMINATION_REASON_LABELS, reason);
}

/** The contract's history (签约记录), folded until asked for and loaded on first opening. */
export function ContractHistory({ contractId, idPrefix }: { contractId: string; idPrefix: string }) {
  const [open, setOpen] = useState(false);
  const [events, setEvents] = useState<ContractEvent[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setLoading(true);
    setError(null);
    listContractEvents(contractId).then(
      (page) => {
        setEvents(page.items);
        setLoading(false);
      },
      (err: unknown) => {
        setError(errorMessage(err));
        setLoading(false);
      },
    );
  };

  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next && events === null && !loading) load();
  };

  return (
    <View className="history" id={`${idPrefix}-history`}>
      <View className="history__toggle" id={`${idPrefix}-history-toggle`} onClick={toggle}>
        <View>签约记录</View>
        <View className="history__arrow">{open ? "收起 ▲" : "展开 ▼"}</View>
      </View>
      {open ? (
        <View className="history__body" id={`${idPrefix}-history-list`}>
          {loading ? <View className="muted">正在加载…</View> : null}
          {error ? (
            <View className="notice notice--error" onClick={load}>
              {error}（点此重试）
            </View>
          ) : null}
          {events && events.length === 0 ? <View className="muted">暂无记录</View> : null}
          {events?.map((event) => (
            <View key={`${event.at}-${event.event}-${event.to}`} className="history__item">
              <View className="history__time">{formatDateTime(event.at)}</View>
              <View className="history__text">
                {eventText(event)}
                <View className="history__by">
                  {labelOf(ACTOR_LABELS, event.byRole)}
                  {event.reason ? ` · ${reasonText(event.reason)}` : ""}
                </View>
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

import Taro from "@tarojs/taro";
import { useState } from "react";
import { newIdempotencyKey } from "../../lib/appointments";
import { bookErrorText } from "../../lib/book-errors";
import { useSubscribe } from "../../lib/subscribe";
import { bookAppointment } from "../../services/appointments";
import type { Appointment, Slot } from "../../services/types";
import type { Bookable } from "./load-people";

export interface Sheet {
  slot: Slot;
  person: Bookable;
  note: string;
  /** One key per attempt: a retry after a lost answer sends it again and books once. */
  key: string;
}

export type BookError = ReturnType<typeof bookErrorText>;

/** The 确认预约 sheet and its booking: one Idempotency-Key per attempt, a new one per new request. */
export function useBooking(reloadSlots: () => void) {
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const [booking, setBooking] = useState(false);
  const [error, setError] = useState<BookError | null>(null);
  const [booked, setBooked] = useState<{ appointment: Appointment; person: Bookable } | null>(null);
  const subscribe = useSubscribe();

  const openSheet = (slot: Slot, person: Bookable) => {
    setError(null);
    setSheet({ slot, person, note: "", key: newIdempotencyKey() });
  };

  /** 确认预约: the WeChat reminder request comes first, synchronously (nothing awaited before it). */
  const confirm = () => {
    void subscribe.request(["visitReminder", "notice"]);
    void book();
  };

  const book = async () => {
    if (!sheet || booking) return;
    setBooking(true);
    setError(null);
    try {
      const note = sheet.note.trim();
      const appointment = await bookAppointment(
        { slotId: sheet.slot.slotId, residentId: sheet.person.residentId, ...(note ? { note } : {}) },
        sheet.key,
      );
      setBooked({ appointment, person: sheet.person });
      setSheet(null);
    } catch (err) {
      const failure = bookErrorText(err);
      setError(failure);
      void Taro.showToast({ title: failure.text, icon: "none", duration: 2500 }).catch(() => undefined);
      if (!failure.retry) {
        // A definite answer: the next attempt is a new request with a new key.
        setSheet((s) => (s ? { ...s, key: newIdempotencyKey() } : s));
        if (failure.code === "SLOT_FULL" || failure.code === "SLOT_CLOSED" || failure.code === "SLOT_PAST") {
          setSheet(null);
          reloadSlots();
        }
      }
    } finally {
      setBooking(false);
    }
  };

  const setNote = (note: string) =>
    // A different request: a new key (the server refuses a key reused for another body).
    setSheet((s) => (s ? { ...s, note, key: newIdempotencyKey() } : s));

  return {
    sheet,
    setSheet,
    booking,
    error,
    setError,
    booked,
    setBooked,
    subscribe,
    openSheet,
    confirm,
    setNote,
  };
}

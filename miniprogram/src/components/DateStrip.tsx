import { View } from "@tarojs/components";
import type { StripDay } from "../lib/appointments";

export interface DateStripProps {
  /** Each day gets the id `<idPrefix>-<YYYY-MM-DD>`. */
  idPrefix: string;
  days: readonly StripDay[];
  value: string;
  onChange: (date: string) => void;
}

/** A row of day buttons (今天 … +6), every day one tap away. */
export function DateStrip({ idPrefix, days, value, onChange }: DateStripProps) {
  return (
    <View className="date-strip" id={idPrefix}>
      {days.map((day) => (
        <View
          key={day.date}
          id={`${idPrefix}-${day.date}`}
          data-date={day.date}
          className={`date-strip__day${day.date === value ? " date-strip__day--active" : ""}`}
          onClick={() => onChange(day.date)}
        >
          <View className="date-strip__label">{day.label}</View>
          <View className="date-strip__date">{day.short}</View>
        </View>
      ))}
    </View>
  );
}

import { Picker, View } from "@tarojs/components";

export interface DateTimePickerProps {
  id: string;
  mode: "date" | "time";
  /** YYYY-MM-DD or HH:mm; "" shows the placeholder. */
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  /** Earliest selectable date (YYYY-MM-DD) or time. */
  start?: string;
  end?: string;
}

/**
 * Dates and times are picked, never typed: WeChat's native picker on weapp, Taro's picker on H5.
 * The value travels in the API's own formats (YYYY-MM-DD, HH:mm in Asia/Shanghai).
 */
export function DateTimePicker({ id, mode, value, onChange, placeholder, start, end }: DateTimePickerProps) {
  return (
    <Picker
      mode={mode}
      value={value}
      start={start}
      end={end}
      onChange={(e: { detail: { value: string | number } }) => onChange(String(e.detail.value))}
    >
      <View className={`picker-field${value ? "" : " picker-field--empty"}`} id={id} data-value={value}>
        {value || placeholder || (mode === "date" ? "请选择日期" : "请选择时间")}
        <View className="picker-field__arrow">›</View>
      </View>
    </Picker>
  );
}

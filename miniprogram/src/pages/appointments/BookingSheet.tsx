import { View } from "@tarojs/components";
import { FormField } from "../../components/FormField";
import { Button, Input, Popup } from "../../components/ui";
import { whenText } from "../../lib/appointments";
import type { BookError, Sheet } from "./use-booking";

/** The 确认预约 sheet (while a slot is chosen): who, what, when, which team, an optional note. */
export function BookingSheet({
  sheet,
  error,
  booking,
  onNote,
  onConfirm,
  onCancel,
}: {
  sheet: Sheet | null;
  error: BookError | null;
  booking: boolean;
  onNote: (note: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    // While booking the sheet stays: closing it would hide the answer of a request still on its way.
    <Popup visible={sheet !== null} position="bottom" round closeOnOverlayClick={!booking} onClose={onCancel}>
      {sheet ? (
        <View className="sheet" id="appt-sheet">
          <View className="sheet__title">确认预约</View>
          <View className="result__row">
            <View className="result__label">就诊人</View>
            <View className="result__value" id="appt-sheet-who">
              {sheet.person.name}（{sheet.person.relation}）
            </View>
          </View>
          <View className="result__row">
            <View className="result__label">服务</View>
            <View className="result__value" id="appt-sheet-what">
              {sheet.slot.serviceName}
            </View>
          </View>
          <View className="result__row">
            <View className="result__label">时间</View>
            <View className="result__value" id="appt-sheet-when">
              {whenText(sheet.slot)}
            </View>
          </View>
          <View className="result__row">
            <View className="result__label">团队</View>
            <View className="result__value" id="appt-sheet-team">
              {sheet.person.contract?.teamName ?? ""}
            </View>
          </View>
          <FormField id="appt-note" label="备注（选填）" hint="如：想咨询血压用药">
            <Input
              id="appt-note"
              name="note"
              placeholder="给医生的留言，200 字以内"
              value={sheet.note}
              maxLength={200}
              onChange={onNote}
            />
          </FormField>
          {error ? (
            <View className="notice notice--error" id="appt-error" data-code={error.code}>
              {error.text}
            </View>
          ) : null}
          <View className="actions">
            <Button block type="primary" size="large" id="appt-confirm" loading={booking} onClick={onConfirm}>
              {error?.retry ? "重试" : "确认预约"}
            </Button>
            <Button block fill="none" id="appt-sheet-cancel" disabled={booking} onClick={onCancel}>
              再想想
            </Button>
          </View>
        </View>
      ) : null}
    </Popup>
  );
}

import { View } from "@tarojs/components";
import type { ReactNode } from "react";

export interface FormFieldProps {
  /** Stable id of the field; the inline error gets `<id>-error`. */
  id: string;
  label: string;
  required?: boolean;
  error?: string | null;
  hint?: string;
  children: ReactNode;
}

/** A labelled form row with its inline Chinese validation message. */
export function FormField({ id, label, required, error, hint, children }: FormFieldProps) {
  return (
    <View className={`form-field${error ? " form-field--error" : ""}`}>
      <View className="form-field__label">
        {label}
        {required ? <View className="form-field__required">*</View> : null}
      </View>
      <View className="form-field__control">{children}</View>
      {error ? (
        <View className="form-field__error" id={`${id}-error`}>
          {error}
        </View>
      ) : hint ? (
        <View className="form-field__hint">{hint}</View>
      ) : null}
    </View>
  );
}

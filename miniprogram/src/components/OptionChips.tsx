import { View } from "@tarojs/components";

export interface ChipOption<V extends string> {
  value: V;
  label: string;
}

export interface OptionChipsProps<V extends string> {
  /** Each chip gets the id `<idPrefix>-<value>`. */
  idPrefix: string;
  options: readonly ChipOption<V>[];
  /** Single choice: the selected value; multiple: the selected values. */
  value: V | readonly V[] | null;
  multiple?: boolean;
  onChange: (value: V) => void;
}

/**
 * A visible option picker (large chips instead of a hidden wheel): every option is one tap away,
 * which suits elderly users and makes every choice addressable by id in end-to-end tests.
 */
export function OptionChips<V extends string>({
  idPrefix,
  options,
  value,
  multiple,
  onChange,
}: OptionChipsProps<V>) {
  const selected = (v: V) => (Array.isArray(value) ? value.includes(v) : value === v);
  return (
    <View className="chips" id={idPrefix}>
      {options.map((option) => {
        const active = selected(option.value);
        return (
          <View
            key={option.value}
            id={`${idPrefix}-${option.value}`}
            className={`chip${active ? " chip--active" : ""}${multiple ? " chip--multi" : ""}`}
            onClick={() => onChange(option.value)}
          >
            {multiple && active ? "✓ " : ""}
            {option.label}
          </View>
        );
      })}
    </View>
  );
}

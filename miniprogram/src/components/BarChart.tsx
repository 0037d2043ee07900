import { View } from "@tarojs/components";
import { TOO_FEW } from "../lib/surveys";

export interface Bar {
  key: string;
  label: string;
  /** Null when the value is withheld (fewer than 5 responses) or unknown. */
  value: number | null;
  /** Shown under the label, e.g. "12 份". */
  note?: string;
}

export interface BarChartProps {
  /** Chart id; each bar gets `<id>-bar-<key>`, its label `<id>-bar-<key>-label`, value `…-value`. */
  id: string;
  bars: readonly Bar[];
  /** The value of a full-length bar (5 for scores, 1 for rates). */
  max: number;
  /** Formats a value for its label ("4.3", "76.5%"). */
  format?: (value: number) => string;
  /** A target drawn as a line across the bars (e.g. 0.85 for 85%). */
  target?: { value: number; label: string };
  /** What a null value says. */
  emptyText?: string;
}

/**
 * A horizontal bar chart drawn with plain views (no canvas), so it renders the same in WeChat and
 * in the browser, scales with elder mode, and every bar is addressable by id.
 */
export function BarChart({ id, bars, max, format = String, target, emptyText = TOO_FEW }: BarChartProps) {
  const share = (v: number) => `${Math.max(0, Math.min(100, (v / max) * 100)).toFixed(1)}%`;
  return (
    <View className="chart" id={id} data-bars={bars.length}>
      {bars.map((bar) => {
        const barId = `${id}-bar-${bar.key}`;
        return (
          <View key={bar.key} className="chart__row" id={barId} data-value={bar.value ?? ""}>
            <View className="chart__label">
              <View id={`${barId}-label`}>{bar.label}</View>
              {bar.note ? <View className="chart__note">{bar.note}</View> : null}
            </View>
            <View className="chart__track">
              {bar.value === null ? null : (
                <View className="chart__fill" style={{ width: share(bar.value) }} />
              )}
              {target ? <View className="chart__target" style={{ left: share(target.value) }} /> : null}
            </View>
            <View
              className={`chart__value${bar.value === null ? " chart__value--none" : ""}`}
              id={`${barId}-value`}
            >
              {bar.value === null ? emptyText : format(bar.value)}
            </View>
          </View>
        );
      })}
      {target ? (
        <View className="chart__legend" id={`${id}-target`}>
          <View className="chart__legend-mark" />
          {target.label}
        </View>
      ) : null}
    </View>
  );
}

export interface ColumnChartProps {
  /** Each column gets `<id>-col-<key>` with `-label` and `-value`. */
  id: string;
  bars: readonly Bar[];
  max: number;
  format?: (value: number) => string;
  emptyText?: string;
}

/** Vertical columns over time (the score trend by month), also drawn with plain views. */
export function ColumnChart({ id, bars, max, format = String, emptyText = "不足5份" }: ColumnChartProps) {
  return (
    <View className="columns" id={id} data-bars={bars.length}>
      {bars.map((bar) => {
        const colId = `${id}-col-${bar.key}`;
        const height = bar.value === null ? 0 : Math.max(2, Math.min(100, (bar.value / max) * 100));
        return (
          <View key={bar.key} className="columns__col" id={colId} data-value={bar.value ?? ""}>
            <View
              className={`columns__value${bar.value === null ? " columns__value--none" : ""}`}
              id={`${colId}-value`}
            >
              {bar.value === null ? emptyText : format(bar.value)}
            </View>
            <View className="columns__track">
              <View className="columns__fill" style={{ height: `${height.toFixed(1)}%` }} />
            </View>
            <View className="columns__label" id={`${colId}-label`}>
              {bar.label}
            </View>
            {bar.note ? <View className="columns__note">{bar.note}</View> : null}
          </View>
        );
      })}
    </View>
  );
}

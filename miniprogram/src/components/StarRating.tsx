import { View } from "@tarojs/components";
import { STAR_WORDS } from "../lib/surveys";

export interface StarRatingProps {
  /** Each star gets the id `<id>-star-<n>`; the word shown gets `<id>-word`. */
  id: string;
  value: number | undefined;
  onChange: (value: number) => void;
  /** Accessible name of the group (the question). */
  label?: string;
}

/**
 * A 1–5 star rating with large tap targets (each star at least one tap-size wide, bigger in elder
 * mode) and the meaning of the chosen score in words (很不满意 … 非常满意).
 */
export function StarRating({ id, value, onChange, label }: StarRatingProps) {
  const current = value ?? 0;
  return (
    <View className="stars" id={id} data-value={current} role="radiogroup" aria-label={label}>
      <View className="stars__row">
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            id={`${id}-star-${n}`}
            className={`stars__star${n <= current ? " stars__star--on" : ""}`}
            role="radio"
            aria-checked={n === current}
            aria-label={`${n} 星`}
            onClick={() => onChange(n)}
          >
            ★
          </View>
        ))}
      </View>
      <View className="stars__word" id={`${id}-word`}>
        {current ? `${current} 星 · ${STAR_WORDS[current]}` : "请点击星星打分"}
      </View>
    </View>
  );
}

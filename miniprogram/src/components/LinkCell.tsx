import { View } from "@tarojs/components";
import { Cell } from "./ui";

export interface LinkCellProps {
  /** Stable id (NutUI's Cell does not pass `id` on, so it sits on a wrapper). */
  id: string;
  title: string;
  description?: string;
  onClick: () => void;
}

/** A tappable row with a chevron that opens another page. */
export function LinkCell({ id, title, description, onClick }: LinkCellProps) {
  return (
    <View id={id} className="link-cell">
      <Cell title={title} description={description} extra="›" clickable onClick={onClick} />
    </View>
  );
}

import { View } from "@tarojs/components";
import { Button } from "./ui";

/** The foot of a paged list: 加载更多 while the API gives a cursor, then 没有更多了 (when `endId` is set). */
export function LoadMore({
  id,
  hasMore,
  loading,
  onMore,
  endId,
}: {
  id: string;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  endId?: string;
}) {
  if (hasMore)
    return (
      <Button block fill="outline" type="primary" id={id} loading={loading} onClick={onMore}>
        加载更多
      </Button>
    );
  return endId ? (
    <View className="footnote" id={endId}>
      没有更多了
    </View>
  ) : null;
}

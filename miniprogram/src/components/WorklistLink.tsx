import { WORKLIST_KIND_NAMES, WORKLIST_KINDS } from "@shared/schemas/care";
import { View } from "@tarojs/components";
import { navigate } from "../lib/auth-guard";
import { useAsync } from "../lib/use-async";
import { teamWorklist, type Worklist, type WorklistKind } from "../services/care";
import { PAGES } from "../services/routes";
import { LinkCell } from "./LinkCell";

type Counts = Worklist["counts"];

export const worklistTotal = (counts: Counts | null | undefined) =>
  counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;

/**
 * The team desk's entry to 待办, with the number of open items (the counts item: one read). The
 * desk passes the counts it already read; alone, the link reads them itself.
 */
export function WorklistLink({ teamId, counts }: { teamId: string; counts?: Counts | null }) {
  const state = useAsync(() => teamWorklist(teamId, { limit: 1 }), counts === undefined);
  const total = worklistTotal(counts === undefined ? state.data?.counts : counts);
  return (
    <LinkCell
      id="team-to-worklist"
      title={total ? `待办（${total}）` : "待办"}
      description="超时待审、随访落后、上门申请、未触达等需主动跟进的居民"
      onClick={() => navigate(PAGES.worklist)}
    />
  );
}

/**
 * The desk's 待办 tab: every kind with its count as a badge (the kinds with open items first, in
 * the list's order); a tap opens the work-list on that kind.
 */
export function WorklistCounts({ counts }: { counts: Counts }) {
  const open = (kind: WorklistKind) => navigate(`${PAGES.worklist}?kind=${kind}`);
  const kinds = [...WORKLIST_KINDS].sort((a, b) => Number(counts[b] > 0) - Number(counts[a] > 0));
  const total = worklistTotal(counts) ?? 0;
  return (
    <View id="team-worklist">
      <View className={`notice ${total ? "notice--info" : "notice--success"}`} id="team-worklist-total">
        {total ? `共 ${total} 项待办，按类别处理：` : "暂无待办，团队的主动服务都已跟上。"}
      </View>
      <View className="card cells">
        {kinds.map((kind) => (
          <View
            key={kind}
            id={`team-worklist-${kind}`}
            data-count={counts[kind]}
            className={`worklist-count${counts[kind] ? "" : " worklist-count--none"}`}
            onClick={() => open(kind)}
          >
            <View className="worklist-count__name">{WORKLIST_KIND_NAMES[kind]}</View>
            <View
              className={`worklist-count__badge${counts[kind] ? " worklist-count__badge--open" : ""}`}
              id={`team-worklist-${kind}-count`}
            >
              {counts[kind]}
            </View>
            <View className="worklist-count__more">›</View>
          </View>
        ))}
      </View>
      <View className="actions">
        <View className="link" id="team-worklist-all" onClick={() => navigate(PAGES.worklist)}>
          查看全部待办 ›
        </View>
      </View>
    </View>
  );
}

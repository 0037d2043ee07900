import { navigate } from "../lib/auth-guard";
import { useAsync } from "../lib/use-async";
import { teamWorklist } from "../services/care";
import { PAGES } from "../services/routes";
import { LinkCell } from "./LinkCell";

/** The team desk's entry to 待办, with the number of open items (the counts item: one read). */
export function WorklistLink({ teamId }: { teamId: string }) {
  const state = useAsync(() => teamWorklist(teamId, { limit: 1 }));
  const counts = state.data?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
  return (
    <LinkCell
      id="team-to-worklist"
      title={total ? `待办（${total}）` : "待办"}
      description="超时待审、随访落后、上门申请、未触达等需主动跟进的居民"
      onClick={() => navigate(PAGES.worklist)}
    />
  );
}

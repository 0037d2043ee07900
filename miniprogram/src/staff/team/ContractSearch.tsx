import { View } from "@tarojs/components";
import { useState } from "react";
import { ContractSummary } from "../../components/ContractSummary";
import { LoadMore } from "../../components/LoadMore";
import { EmptyState } from "../../components/PageShell";
import { Button, Input } from "../../components/ui";
import { errorMessage } from "../../lib/use-async";
import { listTeamContracts } from "../../services/contracts";
import type { Contract } from "../../services/types";
import { PAGE_SIZE, residentName } from "./use-team";

interface Found {
  q: string;
  items: Contract[];
  cursor: string | null;
}

/**
 * Finds the team's contracts (every status) by resident name or masked phone; the server searches,
 * so a contract beyond the loaded pages is found too. While a search shows, the tabs stay hidden.
 */
export function ContractSearch({ teamId, onActive }: { teamId: string; onActive: (on: boolean) => void }) {
  const [text, setText] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const search = async (q: string, more: Found | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await listTeamContracts(teamId, { q, limit: PAGE_SIZE, cursor: more?.cursor });
      setFound({ q, items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
      onActive(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };
  const clear = () => {
    setText("");
    setFound(null);
    setError(null);
    onActive(false);
  };

  return (
    <View id="team-search">
      <View className="card">
        <Input
          id="team-search-input"
          name="q"
          placeholder="搜索居民姓名或手机号后4位"
          value={text}
          maxLength={20}
          onChange={setText}
          onConfirm={() => text.trim() && void search(text.trim(), null)}
        />
        <View className="actions actions--row">
          <Button
            type="primary"
            id="team-search-submit"
            loading={loading && !found?.items.length}
            disabled={!text.trim()}
            onClick={() => void search(text.trim(), null)}
          >
            搜索
          </Button>
          {found ? (
            <Button fill="none" id="team-search-clear" onClick={clear}>
              清除搜索
            </Button>
          ) : null}
        </View>
      </View>
      {error ? (
        <View className="notice notice--error" id="team-search-error">
          {error}
        </View>
      ) : null}
      {found ? (
        <View id="team-search-results">
          {found.items.length === 0 && !found.cursor ? (
            <EmptyState title="没有找到相符的签约" description="可输入姓名中的字或手机号后4位。" />
          ) : null}
          {found.items.map((c) => {
            const idPrefix = `team-found-${c.contractId}`;
            return (
              <View key={c.contractId} className="card" id={idPrefix}>
                <ContractSummary contract={c} idPrefix={idPrefix} showResident title={residentName(c)} />
              </View>
            );
          })}
          <LoadMore
            id="team-search-more"
            hasMore={!!found.cursor}
            loading={loading}
            onMore={() => void search(found.q, found)}
          />
        </View>
      ) : null}
    </View>
  );
}

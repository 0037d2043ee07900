import Taro from "@tarojs/taro";
import { useState } from "react";
import { isStaff } from "../../lib/contracts";
import { errorMessage, useAsync } from "../../lib/use-async";
import { teamWorklist, type Worklist } from "../../services/care";
import { listTeamContracts } from "../../services/contracts";
import { getMe } from "../../services/me";
import type { Contract } from "../../services/types";

export const PAGE_SIZE = 10;
/** Applications are few and time-bound: a large first page shows (nearly) all of them at once. */
const PENDING_PAGE = 50;

export interface TeamData {
  teamId: string | null;
  staff: boolean;
  pending: Contract[];
  pendingCursor: string | null;
  active: Contract[];
  activeCursor: string | null;
  terminating: Contract[];
  /** Open work-list items per kind (the 待办 tab's badges); null when they could not be read. */
  worklist: Worklist["counts"] | null;
}

async function loadTeam(): Promise<TeamData> {
  const me = await getMe();
  const teamId = me.user.teamId ?? null;
  const staff = isStaff(me.user.roles);
  const empty = { pending: [], pendingCursor: null, active: [], activeCursor: null, terminating: [] };
  if (!teamId || !staff) return { teamId, staff, ...empty, worklist: null };
  const [pending, active, terminating, worklist] = await Promise.all([
    listTeamContracts(teamId, { status: "pending", limit: PENDING_PAGE }),
    listTeamContracts(teamId, { status: "active", limit: PAGE_SIZE }),
    listTeamContracts(teamId, { status: "terminating", limit: 100 }),
    // One page of one item: only the counts are wanted (one GetItem on the server).
    teamWorklist(teamId, { limit: 1 }).then(
      (page) => page.counts ?? null,
      () => null,
    ),
  ]);
  return {
    teamId,
    staff,
    // The API lists applications oldest first: the closest to (or past) the 72-hour deadline.
    pending: pending.items,
    pendingCursor: pending.nextCursor,
    active: active.items,
    activeCursor: active.nextCursor,
    terminating: terminating.items,
    worklist,
  };
}

export const residentName = (c: Contract) => c.resident?.name ?? "居民";

export type OpenForm = { id: string; form: "reject" | "record" | "terminate" } | null;

/** The team desk's data and the changes made on it (review, fulfilment, termination, paging). */
export function useTeam(loggedIn: boolean) {
  const state = useAsync(loadTeam, loggedIn);
  const [open, setOpen] = useState<OpenForm>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const data = state.data;

  /** Moves the contracts the API answered with into the lists of their new status. */
  const place = (...updated: Contract[]) => {
    if (!data) return;
    const ids = new Set(updated.map((c) => c.contractId));
    const without = (list: Contract[]) => list.filter((c) => !ids.has(c.contractId));
    const now = (status: Contract["status"]) => updated.filter((c) => c.status === status);
    state.setData({
      ...data,
      pending: [...without(data.pending), ...now("pending")],
      active: [...now("active"), ...without(data.active)],
      terminating: [...now("terminating"), ...without(data.terminating)],
    });
    setOpen(null);
  };

  /** Keeps the contract in its list, updated in place (e.g. fulfilment counts after a record). */
  const update = (updated: Contract) => {
    if (!data) return;
    const swap = (list: Contract[]) => list.map((c) => (c.contractId === updated.contractId ? updated : c));
    state.setData({
      ...data,
      pending: swap(data.pending),
      active: swap(data.active),
      terminating: swap(data.terminating),
    });
    setOpen(null);
  };

  const act = async (contractId: string, action: () => Promise<Contract>, done: string) => {
    if (busy) return;
    setBusy(contractId);
    try {
      place(await action());
      void Taro.showToast({ title: done, icon: "none" }).catch(() => undefined);
    } catch {
      state.reload();
    } finally {
      setBusy(null);
    }
  };

  /** Appends the next page of one list ("加载更多"). */
  const loadMore = async (list: "pending" | "active") => {
    const cursor = list === "pending" ? data?.pendingCursor : data?.activeCursor;
    if (!data?.teamId || !cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listTeamContracts(data.teamId, {
        status: list,
        limit: list === "pending" ? PENDING_PAGE : PAGE_SIZE,
        cursor,
      });
      const seen = new Set(data[list].map((c) => c.contractId));
      const items = [...data[list], ...page.items.filter((c) => !seen.has(c.contractId))];
      state.setData(
        list === "pending"
          ? { ...data, pending: items, pendingCursor: page.nextCursor }
          : { ...data, active: items, activeCursor: page.nextCursor },
      );
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  return { state, data, open, setOpen, busy, act, place, update, loadMore, loadingMore, moreError };
}

export type TeamDesk = ReturnType<typeof useTeam>;

import { useCallback, useEffect, useState } from "react";
import { listMyAppointments } from "../services/appointments";
import { listResidentContracts, listTeams } from "../services/contracts";
import { listCentres } from "../services/me";
import { listMyNotices } from "../services/notices";
import type { Contract, Me, Team } from "../services/types";
import { type StatusCard, statusCards } from "./home-status";
import { distinctUnread } from "./notices";
import { peopleOf } from "./people";

/**
 * Loads what the home status cards show. Each part is asked silently and a part that fails shows
 * as missing (no appointment, no unread), so one slow list never hides where a resident stands.
 */
export async function loadStatusCards(me: Me): Promise<{ cards: StatusCard[]; unread: number }> {
  const people = peopleOf(me);
  const empty = { items: [], nextCursor: null };
  const [contractPages, appointments, inbox, centres] = await Promise.all([
    Promise.all(people.map((p) => listResidentContracts(p.residentId, { silent: true }).catch(() => empty))),
    listMyAppointments({ limit: 50, silent: true }).catch(() => empty),
    listMyNotices({ limit: 50, silent: true }).catch(() => ({ ...empty, unread: 0 })),
    listCentres({ silent: true }).catch(() => empty),
  ]);
  const contracts: Record<string, Contract[]> = {};
  people.forEach((p, i) => {
    contracts[p.residentId] = contractPages[i]?.items ?? [];
  });
  const centreIds = [...new Set(Object.values(contracts).flatMap((list) => list.map((c) => c.centreId)))];
  const teams: Team[] = (
    await Promise.all(centreIds.map((id) => listTeams(id, { silent: true }).catch(() => empty)))
  ).flatMap((page) => page.items);
  return {
    cards: statusCards({
      people,
      contracts,
      teams,
      centres: centres.items,
      appointments: appointments.items,
      inbox: inbox.items,
    }),
    unread: distinctUnread(inbox.unread, inbox.items),
  };
}

export function useHomeStatus(me: Me | null) {
  const [cards, setCards] = useState<StatusCard[] | null>(null);
  const [unread, setUnread] = useState(0);
  const load = useCallback(() => {
    if (!me?.profile) {
      setCards(null);
      return;
    }
    void loadStatusCards(me).then(
      (result) => {
        setCards(result.cards);
        setUnread(result.unread);
      },
      () => setCards([]),
    );
  }, [me]);
  useEffect(load, [load]);
  return { cards, unread, reload: load };
}

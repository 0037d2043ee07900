import { type Person, peopleOf } from "../../lib/people";
import { listResidentContracts } from "../../services/contracts";
import { getMe } from "../../services/me";
import type { Contract } from "../../services/types";

/** Someone the account may book for, with the running contract that lets them book (if any). */
export interface Bookable extends Person {
  /** The active (or terminating) contract: bookings go to its team. */
  contract: Contract | null;
  /** A contract still waiting for review. */
  pending: Contract | null;
}

export interface AppointmentsData {
  noProfile: boolean;
  people: Bookable[];
}

export async function loadPeople(): Promise<AppointmentsData> {
  const me = await getMe();
  if (!me.profile) return { noProfile: true, people: [] };
  const people = peopleOf(me);
  const lists = await Promise.all(
    people.map((p) =>
      listResidentContracts(p.residentId, { silent: true }).then(
        (page) => page.items,
        () => [] as Contract[],
      ),
    ),
  );
  return {
    noProfile: false,
    people: people.map((p, i) => {
      const contracts = lists[i] ?? [];
      return {
        ...p,
        contract: contracts.find((c) => c.status === "active" || c.status === "terminating") ?? null,
        pending: contracts.find((c) => c.status === "pending") ?? null,
      };
    }),
  };
}

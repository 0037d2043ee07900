import { useCallback, useEffect, useState } from "react";
import { listSlots } from "../services/appointments";
import type { ServiceType, Slot } from "../services/types";
import { errorMessage } from "./use-async";

/** The day's slots of one team and service type (reloads when any of them changes). */
export function useSlots(teamId: string | null, date: string, serviceType: ServiceType | null) {
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the reload trigger
  useEffect(() => {
    if (!teamId || !serviceType) {
      setSlots(null);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    listSlots(teamId, { from: date, to: date, serviceType }).then(
      (page) => {
        if (cancelled) return;
        setSlots([...page.items].sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
        setLoading(false);
      },
      (err: unknown) => {
        if (cancelled) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [teamId, date, serviceType, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { slots, loading, error, reload };
}

/**
 * The fault switch of the local twin: what AWS does and DynamoDB Local and the SQS stand-in never
 * do, injected into a chosen share of calls. Shares are probabilities per eligible call; a seeded
 * generator makes a failing run repeatable (the seed is printed with the summary).
 *
 * - conflict: TransactWriteItems cancelled with TransactionConflict;
 * - throttle: ThrottlingException, ProvisionedThroughputExceededException or RequestLimitExceeded;
 * - ambiguous: a write takes effect, then the connection drops before the answer (the SDK retries);
 * - stale: an eventually consistent GetItem/Query/BatchGetItem, and every GSI query, misses writes
 *   younger than `staleLagMs`;
 * - duplicate: an SQS message delivered again after it was processed.
 */
export const FAULT_KINDS = ["conflict", "throttle", "ambiguous", "stale", "duplicate"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  rates: Partial<Record<FaultKind, number>>;
  staleLagMs: number;
  seed: number;
}

export const NO_FAULTS: FaultConfig = { rates: {}, staleLagMs: 0, seed: 1 };

/** `JIAYI_FAULTS="conflict=0.05,throttle=0.05,ambiguous=0.02,stale=0.3,duplicate=0.1,lag=300,seed=7"`. */
export function parseFaults(spec: string | undefined): FaultConfig {
  if (!spec) return NO_FAULTS;
  const config: FaultConfig = { rates: {}, staleLagMs: 250, seed: Date.now() % 1_000_000 };
  for (const part of spec.split(",").filter(Boolean)) {
    const [name, raw] = part.split("=");
    const value = Number(raw);
    if (!name || !Number.isFinite(value)) throw new Error(`JIAYI_FAULTS: cannot read "${part}"`);
    if (name === "lag") config.staleLagMs = value;
    else if (name === "seed") config.seed = value;
    else if ((FAULT_KINDS as readonly string[]).includes(name)) {
      if (value < 0 || value > 1) throw new Error(`JIAYI_FAULTS: ${name} must be a share from 0 to 1`);
      config.rates[name as FaultKind] = value;
    } else
      throw new Error(`JIAYI_FAULTS: unknown fault "${name}" (known: ${FAULT_KINDS.join(", ")}, lag, seed)`);
  }
  return config;
}

export class Faults {
  readonly injected: Record<FaultKind, number> = {
    conflict: 0,
    throttle: 0,
    ambiguous: 0,
    stale: 0,
    duplicate: 0,
  };
  /** AWS calls seen by the edge. */
  calls = 0;
  private state: number;

  constructor(public config: FaultConfig) {
    this.state = config.seed >>> 0 || 1;
  }

  /** Switches faults on or off for what follows (the bench turns them on for one case at a time). */
  configure(config: Partial<FaultConfig>): void {
    this.config = { ...this.config, ...config, rates: { ...(config.rates ?? this.config.rates) } };
    if (config.seed !== undefined) this.state = config.seed >>> 0 || 1;
  }

  /** Zeroes the counters, so a summary covers one stretch of work. */
  resetCounts(): void {
    this.calls = 0;
    for (const kind of FAULT_KINDS) this.injected[kind] = 0;
  }

  get enabled() {
    return Object.values(this.config.rates).some((r) => (r ?? 0) > 0);
  }

  rate(kind: FaultKind) {
    return this.config.rates[kind] ?? 0;
  }

  /** True when this call gets the fault; counts it. */
  roll(kind: FaultKind): boolean {
    const rate = this.rate(kind);
    if (rate <= 0 || this.random() >= rate) return false;
    this.injected[kind]++;
    return true;
  }

  /** xorshift32: small, seeded, good enough to pick calls. */
  random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  summary() {
    return { seed: this.config.seed, calls: this.calls, injected: { ...this.injected } };
  }
}

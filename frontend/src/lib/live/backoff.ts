export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 10_000 };

/** The ceiling of the delay before reconnect attempt `attempt` (0-based): base * 2^attempt, capped. */
export function backoffCeiling(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
}

/** "Full jitter": a uniformly random delay in [0, ceiling), so reconnecting clients spread out. */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  opts: BackoffOptions = DEFAULT_BACKOFF,
): number {
  return Math.floor(random() * backoffCeiling(attempt, opts));
}

/** Where this client stands in the room's event stream. */
export interface Position {
  epoch: string;
  version: number;
}

/**
 * What to do with an event: `apply` it (exactly the next version of the same epoch), `ignore` it
 * (already seen), or `resync` (a gap, or a new epoch: the local state can no longer be trusted).
 */
export type Verdict = 'apply' | 'ignore' | 'resync';

export function checkSequence(at: Position, event: Position): Verdict {
  if (event.epoch !== at.epoch) return 'resync';
  if (event.version === at.version + 1) return 'apply';
  if (event.version <= at.version) return 'ignore';
  return 'resync';
}

// Meeting logic the room page shows: consensus in words, typed card labels, the deck's scale at the
// reveal, votes a new round would throw away, and the next step of the facilitator. DOM-free.
import type { Item, Round, Stats } from './api/types';
import { nextItem } from './refinement';

const NOT_ESTIMATES = new Set(['?', 'coffee']);

/** A card that says something about size (docs/protocol.md: not `?`, not `coffee`). */
export function isEstimateCard(card: string): boolean {
  return !NOT_ESTIMATES.has(card);
}

export interface VoteCounts {
  estimates: number;
  unsure: number;
  breaks: number;
}

export function voteCounts(distribution: { value: string; count: number }[]): VoteCounts {
  const counts = { estimates: 0, unsure: 0, breaks: 0 };
  for (const d of distribution) {
    if (d.value === '?') counts.unsure += d.count;
    else if (d.value === 'coffee') counts.breaks += d.count;
    else counts.estimates += d.count;
  }
  return counts;
}

/**
 * The consensus as shown: "Yes" needs at least two estimate cards, all equal (the service's rule;
 * a round recorded under the older rule may still say consensus for one). Fewer say how many.
 */
export function consensusText(stats: Pick<Stats, 'consensus' | 'distribution'>): { consensus: boolean; text: string } {
  const c = voteCounts(stats.distribution);
  if (c.estimates < 2) {
    const parts = [`${c.estimates} ${c.estimates === 1 ? 'estimate' : 'estimates'}`];
    if (c.unsure) parts.push(`${c.unsure} unsure`);
    if (c.breaks) parts.push(`${c.breaks} ${c.breaks === 1 ? 'break' : 'breaks'}`);
    return { consensus: false, text: parts.join(', ') };
  }
  return stats.consensus ? { consensus: true, text: 'Yes' } : { consensus: false, text: 'No' };
}

/**
 * What a run of typed keys means on this deck: `vote` a card now, `wait` for more keys (another card
 * starts with them: "1" could become "13"), `fallback` is the card to vote if no key follows, or
 * `none`. Letters match case-insensitively ("xl" is XL); a start only one card has is that card if
 * no key follows ("c" is coffee).
 */
export type TypedMatch = { kind: 'vote'; card: string } | { kind: 'wait'; fallback: string | null } | { kind: 'none' };

export function matchTyped(cards: string[], typed: string): TypedMatch {
  if (!typed) return { kind: 'none' };
  const t = typed.toLowerCase();
  const starting = cards.filter((c) => c.toLowerCase().startsWith(t));
  const exact = cards.find((c) => c.toLowerCase() === t) ?? null;
  if (starting.length === 1 && exact) return { kind: 'vote', card: exact };
  // "10" on a deck with 100 waits: the person may still be typing; alone it means 100.
  if (starting.length === 1) return { kind: 'wait', fallback: starting[0] };
  if (starting.length > 1) return { kind: 'wait', fallback: exact };
  return { kind: 'none' };
}

/**
 * Feeds one key into the typed buffer: the new buffer and what it means. A key that continues no
 * card starts a new buffer on its own ("8" after "2" is 8, not "28").
 */
export function typeKey(cards: string[], buffer: string, key: string): { buffer: string; match: TypedMatch } {
  const joined = matchTyped(cards, buffer + key);
  if (joined.kind !== 'none' || !buffer) return { buffer: joined.kind === 'wait' ? buffer + key : '', match: joined };
  const alone = matchTyped(cards, key);
  return { buffer: alone.kind === 'wait' ? key : '', match: alone };
}

/** A key that can start or continue a card label: one printable character, no space. */
export function isCardKey(key: string): boolean {
  return key.length === 1 && key !== ' ';
}

export interface ScaleRow {
  value: string;
  count: number;
  /** An estimate card between the lowest and highest played that nobody played. */
  gap: boolean;
}

/**
 * The reveal's scale: every estimate card of the deck in order (so 3 against 13 shows the 5 and 8
 * between them as empty), then `?` and `coffee` when played. Cards of the deck outside the played
 * range stay as context; `gap` marks the empty steps inside it.
 */
export function deckScale(deck: string[], distribution: { value: string; count: number }[]): ScaleRow[] {
  const counts = new Map(distribution.map((d) => [d.value, d.count]));
  const estimates = deck.filter(isEstimateCard);
  const played = estimates.map((c, i) => (counts.get(c) ? i : -1)).filter((i) => i >= 0);
  const lo = played.length ? Math.min(...played) : -1;
  const hi = played.length ? Math.max(...played) : -1;
  const rows: ScaleRow[] = estimates.map((c, i) => {
    const count = counts.get(c) ?? 0;
    return { value: c, count, gap: count === 0 && i > lo && i < hi };
  });
  for (const c of deck.filter((c) => !isEstimateCard(c))) {
    const count = counts.get(c) ?? 0;
    if (count) rows.push({ value: c, count, gap: false });
  }
  // Cards played that the deck does not list (a deck changed since) go last, so no vote is hidden.
  for (const d of distribution) if (!deck.includes(d.value)) rows.push({ value: d.value, count: d.count, gap: false });
  return rows;
}

/** How many hidden votes a new round would throw away now (0 when nothing would be lost). */
export function votesAtRisk(round: Round | null, voterIds: string[]): number {
  if (!round || round.revealed) return 0;
  return round.voted.filter((id) => voterIds.includes(id)).length;
}

export type NextStep =
  | { kind: 'start'; item: Item }
  | { kind: 'quick' }
  | { kind: 'reveal' }
  | { kind: 'settle' }
  | { kind: 'next'; item: Item }
  | { kind: 'summary' };

/**
 * The facilitator's next step, first in the facilitator bar: reveal an open round; settle a revealed
 * item not settled yet; then the next item; at the end, the session summary.
 */
export function nextStep(items: Item[], round: Round | null): NextStep {
  const current = round?.itemId ? (items.find((i) => i.id === round.itemId) ?? null) : null;
  if (round && !round.revealed) return { kind: 'reveal' };
  if (round && current && current.status !== 'split' && !current.estimate) return { kind: 'settle' };
  const next = nextItem(items, current?.id ?? null);
  if (next) return round ? { kind: 'next', item: next } : { kind: 'start', item: next };
  if (!round) return { kind: 'quick' };
  return { kind: 'summary' };
}

/** What everyone is told once the current item is settled: the estimate and what comes next. */
export function outcome(
  items: Item[],
  round: Round | null,
): { estimate: string | null; split: boolean; next: Item | null } | null {
  if (!round?.revealed || !round.itemId) return null;
  const item = items.find((i) => i.id === round.itemId);
  const split = item?.status === 'split';
  if (!item || (!item.estimate && !split)) return null;
  return { estimate: item.estimate, split, next: nextItem(items, item.id) };
}

import type { Agenda, Item, Timebox } from './api/types';

/** The agenda's groups, most discussion first (the service's order), with what each means in words. */
export const AGENDA_GROUPS = [
  { key: 'diverge', title: 'Pre-votes diverge', hint: '2 or more steps apart: discuss first.' },
  { key: 'flags', title: 'Unknowns flagged', hint: 'Someone flagged an unknown.' },
  { key: 'few', title: 'Too few pre-votes', hint: 'Fewer than 2 pre-votes with an estimate.' },
  { key: 'close', title: 'Close', hint: '1 step apart.' },
  { key: 'consensus', title: 'Consensus', hint: 'Everyone agrees: reveal the pre-votes and settle in one click.' },
] as const satisfies readonly { key: keyof Agenda; title: string; hint: string }[];

export type AgendaGroupKey = (typeof AGENDA_GROUPS)[number]['key'];

export interface AgendaSection {
  key: AgendaGroupKey;
  title: string;
  hint: string;
  items: Item[];
}

/**
 * The facilitator's agenda as sections of items, in the service's order. Ids the page no longer
 * holds, and items that stopped being pending since the snapshot (voted on, settled, split), are
 * left out; empty groups are left out.
 */
export function agendaSections(agenda: Agenda | null | undefined, items: Item[]): AgendaSection[] {
  if (!agenda) return [];
  const byId = new Map(items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const sections: AgendaSection[] = [];
  for (const g of AGENDA_GROUPS) {
    const list = (agenda[g.key] ?? []).flatMap((id) => {
      const item = byId.get(id);
      if (!item || item.status !== 'pending' || seen.has(id)) return [];
      seen.add(id);
      return [item];
    });
    if (list.length) sections.push({ key: g.key, title: g.title, hint: g.hint, items: list });
  }
  return sections;
}

/** "1 pre-vote", "3 pre-votes", "No pre-votes yet": a count, never a value. */
export function preVoteCountText(n: number | undefined): string {
  const count = n ?? 0;
  if (count === 0) return 'No pre-votes yet';
  return `${count} ${count === 1 ? 'pre-vote' : 'pre-votes'}`;
}

/** Milliseconds left on a timebox at this page's `localNow`, with the server clock's offset; 0 once it has ended. */
export function timeLeft(timebox: Timebox, localNow: number, clockOffset: number): number {
  return Math.max(0, timebox.endsAt - (localNow + clockOffset));
}

/** The timebox's end on this page's clock (epoch ms), so every screen shows the same moment. */
export function localEnd(timebox: Timebox, clockOffset: number): number {
  return timebox.endsAt - clockOffset;
}

/** "4:05" for 245,000 ms, rounding up, so "0:00" shows only at the end. */
export function formatClock(ms: number): string {
  const s = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "4 minutes 5 seconds left", for screen readers. */
export function spokenTimeLeft(ms: number): string {
  const s = Math.ceil(Math.max(0, ms) / 1000);
  const m = Math.floor(s / 60);
  const r = s % 60;
  const parts = [];
  if (m) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  if (r || !m) parts.push(`${r} ${r === 1 ? 'second' : 'seconds'}`);
  return `${parts.join(' ')} left`;
}

/** The note's length limit, as the service counts it (after trimming). */
export const NOTE_MAX = 2000;

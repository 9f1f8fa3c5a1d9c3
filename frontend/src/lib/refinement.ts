// Refinement in plain words: the checklist's misses, split drafts, the next item, the runway meter.
import type { CheckId, Item, Runway, SplitChild } from './api/types';

/** Longest title, value and dependencies texts the service takes (docs/protocol.md). */
export const TITLE_MAX = 200;
export const VALUE_MAX = 2000;
export const DEPENDENCIES_MAX = 2000;
export const NOTE_MAX = 500;
export const SPLIT_MIN = 2;
export const SPLIT_MAX = 10;

/** The cards that are estimates: every card but "?" and coffee. */
export function estimateCards(deck: string[]): string[] {
  return deck.filter((c) => c !== '?' && c !== 'coffee');
}

const UNKNOWN_NAMES: Record<string, string> = {
  scope: 'scope',
  acceptance: 'acceptance criteria',
  dependency: 'dependency',
  risk: 'risk',
  'too-big': 'too big',
};

/** An unknown (flag) as words inside a sentence: "scope", "too big". */
export function unknownName(flag: string): string {
  return UNKNOWN_NAMES[flag] ?? 'another unknown';
}

/**
 * What a checklist miss means, as a sentence someone in the room can act on. Codes the page does
 * not know yet get a general sentence: a raw code is never shown.
 */
export function missLabel(code: string, maxEstimate: string | null): string {
  switch (code) {
    case 'title':
      return 'Title missing';
    case 'acceptance':
      return 'Acceptance criteria missing';
    case 'value':
      return 'Why it matters (value) missing';
    case 'estimate':
      return 'Not estimated yet';
    case 'above-max':
      return maxEstimate ? `Estimate above the sprint maximum (${maxEstimate}): split it` : 'Estimate above the sprint maximum: split it';
    case 'too-big':
      return 'Flagged too big: split it';
    default:
      if (code.startsWith('flag:')) return `Open unknown: ${unknownName(code.slice(5))}`;
      return 'Something else is missing';
  }
}

export const CHECK_NAMES: Record<CheckId, string> = {
  definition: 'Definition',
  value: 'Value',
  size: 'Size',
  risks: 'Risks',
};

/** What each check asks, for the checklist and its settings. */
export const CHECK_HINTS: Record<CheckId, string> = {
  definition: 'a title and acceptance criteria',
  value: 'why it matters',
  size: 'an estimate that fits in a sprint',
  risks: 'no open unknowns',
};

export function checkName(id: string): string {
  return CHECK_NAMES[id as CheckId] ?? 'Other';
}

/** True when the size check says the item should be split (above the maximum, or flagged too big). */
export function needsSplit(item: Item): boolean {
  return item.status !== 'split' && item.readiness.missing.some((m) => m === 'above-max' || m === 'too-big');
}

/** Items that can be voted on: split items never are. */
export function canVote(item: Item): boolean {
  return item.status !== 'split';
}

/** The items split from `parent`, in backlog order. */
export function childrenOf(items: Item[], parentId: string): Item[] {
  return items.filter((i) => i.parentId === parentId);
}

/**
 * The next item to vote on after `currentId`, in backlog order: the first later item that is
 * neither estimated nor split, else the first such item from the top.
 */
export function nextItem(items: Item[], currentId: string | null): Item | null {
  const open = (i: Item) => i.status !== 'estimated' && i.status !== 'split' && i.id !== currentId;
  const at = currentId ? items.findIndex((i) => i.id === currentId) : -1;
  return items.slice(at + 1).find(open) ?? items.find(open) ?? null;
}

/** The parts a split editor starts with: "<title> — part n", each with the parent's value. */
export function splitDraft(parent: Item, parts = SPLIT_MIN): SplitChild[] {
  return Array.from({ length: parts }, (_, i) => ({
    title: partTitle(parent.title, i + 1),
    acceptanceCriteria: '',
    value: parent.value ?? '',
  }));
}

/** "<title> — part n", shortening the title so it stays within the title limit. */
export function partTitle(title: string, n: number): string {
  const suffix = ` — part ${n}`;
  const room = TITLE_MAX - suffix.length;
  const base = title.length > room ? title.slice(0, room - 1).trimEnd() + '…' : title;
  return base + suffix;
}

/** The split command's children: trimmed, empty optional fields left out. Null when a title is bad. */
export function splitChildren(parts: SplitChild[]): SplitChild[] | null {
  if (parts.length < SPLIT_MIN || parts.length > SPLIT_MAX) return null;
  const children: SplitChild[] = [];
  for (const p of parts) {
    const title = p.title.trim();
    if (!title || title.length > TITLE_MAX) return null;
    const child: SplitChild = { title };
    const ac = p.acceptanceCriteria?.trim();
    const value = p.value?.trim();
    if (ac) child.acceptanceCriteria = ac;
    if (value) child.value = value;
    children.push(child);
  }
  return children;
}

export interface MeterRow {
  id: 'sprints' | 'ready' | 'oversized';
  label: string;
  /** "1.1 of 3", "4 of 5", "1 (aim for 0)", or null when it cannot be told (no velocity). */
  text: string | null;
  /** How full the bar is, 0 to 1; null for a count with no bar (oversized: the target is none). */
  fill: number | null;
  /** At or past the target. */
  ok: boolean;
}

/** The runway as three meters against the 3-5-3 targets: sprints of ready work, ready items, oversized items. */
export function runwayMeter(runway: Runway): MeterRow[] {
  const { sprints, readyItems, oversized, targets } = runway;
  return [
    {
      id: 'sprints',
      label: 'Sprints of ready work',
      text: sprints === null ? null : `${formatSprints(sprints)} of ${targets.sprints}`,
      fill: sprints === null ? 0 : clamp(sprints / targets.sprints),
      ok: sprints !== null && sprints >= targets.sprints,
    },
    {
      id: 'ready',
      label: 'Ready items',
      text: `${readyItems} of ${targets.readyItems}`,
      fill: clamp(readyItems / targets.readyItems),
      ok: readyItems >= targets.readyItems,
    },
    {
      id: 'oversized',
      label: 'Oversized items',
      text: oversized === 0 ? '0' : `${oversized} (aim for 0)`,
      fill: null,
      ok: oversized === 0,
    },
  ];
}

/** Sprints with at most one decimal: 1.05 → "1.1", 2 → "2". */
export function formatSprints(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

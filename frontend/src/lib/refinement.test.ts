import { describe, expect, it } from 'vitest';
import {
  formatSprints,
  missLabel,
  needsSplit,
  nextItem,
  partTitle,
  runwayMeter,
  splitChildren,
  splitDraft,
} from './refinement';
import { deck, item, READY } from './live/testkit';
import type { Item, Runway } from './api/types';

const all = { definition: true, value: true, size: true, risks: true, maxEstimate: '8' };
const runway = (over: Partial<Runway> = {}): Runway => ({
  readyItems: 0, readyPoints: 0, sprints: null, oversized: 0, targets: { sprints: 3, readyItems: 5 }, ...over,
});

describe('missLabel', () => {
  it('says every miss in plain words', () => {
    expect(missLabel('title', '8')).toBe('Title missing');
    expect(missLabel('acceptance', '8')).toBe('Acceptance criteria missing');
    expect(missLabel('value', '8')).toBe('Why it matters (value) missing');
    expect(missLabel('estimate', '8')).toBe('Not estimated yet');
    expect(missLabel('above-max', '8')).toBe('Estimate above the sprint maximum (8): split it');
    expect(missLabel('above-max', 'L')).toBe('Estimate above the sprint maximum (L): split it');
    expect(missLabel('too-big', '8')).toBe('Flagged too big: split it');
    expect(missLabel('flag:scope', '8')).toBe('Open unknown: scope');
    expect(missLabel('flag:too-big', '8')).toBe('Open unknown: too big');
    expect(missLabel('flag:acceptance', '8')).toBe('Open unknown: acceptance criteria');
  });

  it('never shows a code it does not know', () => {
    for (const code of ['flag:gremlins', 'shiny-new-check', 'above-max']) {
      const label = missLabel(code, null);
      expect(label).not.toContain(code);
      expect(label).not.toMatch(/flag:|-/);
    }
  });
});

describe('nextItem', () => {
  const items: Item[] = [
    item('a', { status: 'estimated', estimate: '3' }),
    item('b', { status: 'split' }),
    item('c', { parentId: 'b' }),
    item('d', { parentId: 'b', status: 'estimated', estimate: '2' }),
    item('e'),
  ];

  it('follows the backlog order, skipping split and estimated items', () => {
    expect(nextItem(items, null)?.id).toBe('c');
    expect(nextItem(items, 'a')?.id).toBe('c');
    expect(nextItem(items, 'c')?.id).toBe('e');
  });

  it('goes back to the top after the last item, and is null when nothing is left', () => {
    expect(nextItem(items, 'e')?.id).toBe('c');
    expect(nextItem([item('a', { status: 'split' }), item('b', { status: 'estimated' })], null)).toBeNull();
    expect(nextItem([item('a')], 'a')).toBeNull();
  });
});

describe('split drafts', () => {
  it('prefills "<title> — part n" with the parent’s value', () => {
    const parent = item('i_1', { title: 'Audit log', value: 'Auditors stop asking us' });
    expect(splitDraft(parent)).toEqual([
      { title: 'Audit log — part 1', acceptanceCriteria: '', value: 'Auditors stop asking us' },
      { title: 'Audit log — part 2', acceptanceCriteria: '', value: 'Auditors stop asking us' },
    ]);
    expect(splitDraft(parent, 3)[2].title).toBe('Audit log — part 3');
  });

  it('keeps a part title within 200 characters', () => {
    const t = partTitle('x'.repeat(200), 10);
    expect(t.length).toBeLessThanOrEqual(200);
    expect(t.endsWith('… — part 10')).toBe(true);
  });

  it('trims the parts and leaves out empty fields; refuses 1 or 11 parts or an empty title', () => {
    expect(splitChildren([{ title: ' A ', acceptanceCriteria: ' ', value: 'V' }, { title: 'B', acceptanceCriteria: 'AC' }])).toEqual([
      { title: 'A', value: 'V' },
      { title: 'B', acceptanceCriteria: 'AC' },
    ]);
    expect(splitChildren([{ title: 'A' }])).toBeNull();
    expect(splitChildren(Array.from({ length: 11 }, (_, i) => ({ title: `P${i}` })))).toBeNull();
    expect(splitChildren([{ title: 'A' }, { title: '  ' }])).toBeNull();
  });
});

describe('needsSplit', () => {
  it('is true when the size check says above the maximum or too big, never for a split item', () => {
    const r = (missing: string[]) => ({ ready: false, checks: [{ id: 'size' as const, ok: false, missing }], missing });
    expect(needsSplit(item('a', { readiness: r(['above-max']) }))).toBe(true);
    expect(needsSplit(item('a', { readiness: r(['too-big']) }))).toBe(true);
    expect(needsSplit(item('a', { readiness: r(['estimate']) }))).toBe(false);
    expect(needsSplit(item('a', { status: 'split', readiness: r(['above-max']) }))).toBe(false);
  });
});

describe('runwayMeter', () => {
  it('shows each value against its 3-5-3 target', () => {
    const [sprints, ready, oversized] = runwayMeter(runway({ readyItems: 4, readyPoints: 21, sprints: 1.05, oversized: 1 }));
    expect(sprints).toMatchObject({ label: 'Sprints of ready work', text: '1.1 of 3', ok: false });
    expect(sprints.fill).toBeCloseTo(0.35);
    expect(ready).toMatchObject({ label: 'Ready items', text: '4 of 5', fill: 0.8, ok: false });
    expect(oversized).toMatchObject({ label: 'Oversized items', text: '1 (aim for 0)', fill: null, ok: false });
  });

  it('has no sprints without a velocity, and is full (not past) at or above a target', () => {
    const [sprints, ready, oversized] = runwayMeter(runway({ readyItems: 7, sprints: null }));
    expect(sprints).toMatchObject({ text: null, fill: 0, ok: false });
    expect(ready).toMatchObject({ text: '7 of 5', fill: 1, ok: true });
    expect(oversized).toMatchObject({ text: '0', ok: true });
    expect(runwayMeter(runway({ sprints: 4.25 }))[0]).toMatchObject({ text: '4.3 of 3', fill: 1, ok: true });
  });

  it('formats sprints with at most one decimal', () => {
    expect(formatSprints(2)).toBe('2');
    expect(formatSprints(0.05)).toBe('0.1');
    expect(formatSprints(1.04)).toBe('1');
  });
});

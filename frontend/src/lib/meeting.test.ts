import { describe, expect, it } from 'vitest';
import type { Item, Round } from './api/types';
import { consensusText, deckScale, matchTyped, nextStep, outcome, typeKey, votesAtRisk } from './meeting';

const FIB = ['0', '1', '2', '3', '5', '8', '13', '21', '?', 'coffee'];
const MOD = ['0', '1/2', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', 'coffee'];
const TSHIRT = ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?', 'coffee'];

/** Types keys one after the other; a pause (" ") ends a wait with its fallback. Returns the cards voted. */
function typeAll(cards: string[], keys: string[]): string[] {
  const voted: string[] = [];
  let buffer = '';
  let pending: string | null = null;
  for (const k of keys) {
    if (k === 'pause') {
      if (pending) voted.push(pending);
      buffer = '';
      pending = null;
      continue;
    }
    const r = typeKey(cards, buffer, k);
    buffer = r.buffer;
    pending = null;
    if (r.match.kind === 'vote') voted.push(r.match.card);
    else if (r.match.kind === 'wait') pending = r.match.fallback;
  }
  if (pending) voted.push(pending);
  return voted;
}

describe('consensus in words', () => {
  const dist = (...pairs: [string, number][]) => pairs.map(([value, count]) => ({ value, count }));
  it('a lone 21 beside a ? is no consensus: it says 1 estimate, 1 unsure', () => {
    // Even a round recorded when the service still called that a consensus.
    expect(consensusText({ consensus: true, distribution: dist(['21', 1], ['?', 1]) })).toEqual({
      consensus: false,
      text: '1 estimate, 1 unsure',
    });
  });
  it('two equal estimates are a consensus, different ones are not', () => {
    expect(consensusText({ consensus: true, distribution: dist(['5', 2], ['coffee', 1]) }).text).toBe('Yes');
    expect(consensusText({ consensus: false, distribution: dist(['3', 1], ['13', 1]) }).text).toBe('No');
  });
  it('no estimates at all say so', () => {
    expect(consensusText({ consensus: false, distribution: dist(['?', 2], ['coffee', 1]) }).text).toBe(
      '0 estimates, 2 unsure, 1 break',
    );
  });
});

describe('typing a card label votes that card, not a position', () => {
  it('8 is the 8 card, not the 8th card (21)', () => {
    expect(matchTyped(FIB, '8')).toEqual({ kind: 'vote', card: '8' });
    expect(typeAll(FIB, ['8'])).toEqual(['8']);
  });
  it('1 then 3 is 13; 1 and a pause is 1; 2 then 1 is 21', () => {
    expect(typeAll(FIB, ['1', '3'])).toEqual(['13']);
    expect(typeAll(FIB, ['1', 'pause'])).toEqual(['1']);
    expect(typeAll(FIB, ['2', '1'])).toEqual(['21']);
  });
  it('a key that continues no card starts over: 2 then 8 is 8', () => {
    expect(typeAll(FIB, ['2', '8'])).toEqual(['8']);
  });
  it('0, ? and c (coffee) on the Fibonacci deck', () => {
    expect(typeAll(FIB, ['0'])).toEqual(['0']);
    expect(typeAll(FIB, ['?'])).toEqual(['?']);
    expect(typeAll(FIB, ['c', 'pause'])).toEqual(['coffee']);
    expect(typeAll(FIB, ['4'])).toEqual([]);
  });
  it('100 on the modified Fibonacci deck is typed whole, and 1/2 too', () => {
    expect(typeAll(MOD, ['1', '0', '0'])).toEqual(['100']);
    expect(typeAll(MOD, ['1', '/', '2'])).toEqual(['1/2']);
    expect(typeAll(MOD, ['2', '0'])).toEqual(['20']);
  });
  it('T-shirt sizes, either case', () => {
    expect(typeAll(TSHIRT, ['m'])).toEqual(['M']);
    expect(typeAll(TSHIRT, ['x', 'l', 'pause'])).toEqual(['XL']);
    expect(typeAll(TSHIRT, ['X', 'X', 'L'])).toEqual(['XXL']);
    expect(typeAll(TSHIRT, ['x', 'pause'])).toEqual([]);
  });
});

describe('the deck scale at the reveal', () => {
  it('3 against 13 shows 5 and 8 as gaps between them', () => {
    const rows = deckScale(FIB, [{ value: '3', count: 1 }, { value: '13', count: 1 }]);
    expect(rows.map((r) => r.value)).toEqual(['0', '1', '2', '3', '5', '8', '13', '21']);
    expect(rows.filter((r) => r.gap).map((r) => r.value)).toEqual(['5', '8']);
    expect(rows.find((r) => r.value === '13')?.count).toBe(1);
  });
  it('5 against 8 has no gap', () => {
    expect(deckScale(FIB, [{ value: '5', count: 1 }, { value: '8', count: 1 }]).some((r) => r.gap)).toBe(false);
  });
  it('? and coffee come after the scale only when played', () => {
    const rows = deckScale(FIB, [{ value: '5', count: 2 }, { value: '?', count: 1 }]);
    expect(rows.map((r) => r.value).slice(-2)).toEqual(['21', '?']);
  });
});

const item = (id: string, over: Partial<Item> = {}): Item =>
  ({ id, title: id, status: 'pending', estimate: null, rounds: [], roundCount: 0, openFlags: [], resolvedFlags: [], ...over }) as unknown as Item;
const round = (over: Partial<Round> = {}): Round => ({ number: 1, itemId: 'a', revealed: false, voted: [], votes: null, stats: null, ...over });

describe('votes a new round would throw away', () => {
  it('counts the voters who voted in an open round', () => {
    expect(votesAtRisk(round({ voted: ['p1', 'p2', 'gone'] }), ['p1', 'p2'])).toBe(2);
  });
  it('nothing is at risk once revealed, or before anyone voted', () => {
    expect(votesAtRisk(round({ voted: ['p1'], revealed: true }), ['p1'])).toBe(0);
    expect(votesAtRisk(round(), ['p1'])).toBe(0);
    expect(votesAtRisk(null, ['p1'])).toBe(0);
  });
});

describe('the facilitator’s next step', () => {
  const items = [item('a', { status: 'voting' }), item('b')];
  it('start, reveal, settle, next, summary', () => {
    expect(nextStep([item('a'), item('b')], null)).toMatchObject({ kind: 'start', item: { id: 'a' } });
    expect(nextStep(items, round())).toEqual({ kind: 'reveal' });
    expect(nextStep(items, round({ revealed: true }))).toEqual({ kind: 'settle' });
    const settled = [item('a', { status: 'estimated', estimate: '5' }), item('b')];
    expect(nextStep(settled, round({ revealed: true }))).toMatchObject({ kind: 'next', item: { id: 'b' } });
    const done = [item('a', { status: 'estimated', estimate: '5' }), item('b', { status: 'estimated', estimate: '3' })];
    expect(nextStep(done, round({ revealed: true }))).toEqual({ kind: 'summary' });
    expect(nextStep([], null)).toEqual({ kind: 'quick' });
  });
  it('everyone sees the settled estimate and what comes next', () => {
    const settled = [item('a', { status: 'estimated', estimate: '5' }), item('b')];
    expect(outcome(settled, round({ revealed: true }))).toMatchObject({ estimate: '5', next: { id: 'b' } });
    expect(outcome(items, round({ revealed: true }))).toBeNull();
    const split = [item('a', { status: 'split', estimate: '13' }), item('a1', { parentId: 'a' } as Partial<Item>)];
    expect(outcome(split, round({ revealed: true }))).toMatchObject({ split: true, next: { id: 'a1' } });
  });
});

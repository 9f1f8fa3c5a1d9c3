import { describe, expect, it } from 'vitest';
import { agendaSections, formatClock, localEnd, preVoteCountText, spokenTimeLeft, timeLeft } from './agenda';
import { item } from './live/testkit';

describe('agendaSections', () => {
  const items = [item('i1'), item('i2'), item('i3'), item('i4', { status: 'estimated', estimate: '5' }), item('i5')];

  it('keeps the service order: divergent first, consensus last, empty groups left out', () => {
    const s = agendaSections({ diverge: ['i3'], flags: [], few: ['i5', 'i1'], close: [], consensus: ['i2'] }, items);
    expect(s.map((g) => g.key)).toEqual(['diverge', 'few', 'consensus']);
    expect(s.map((g) => g.items.map((i) => i.id))).toEqual([['i3'], ['i5', 'i1'], ['i2']]);
    expect(s[0].title).toBe('Pre-votes diverge');
  });

  it('leaves out items no longer pending or no longer in the room', () => {
    const s = agendaSections({ diverge: ['i4', 'gone'], flags: ['i1'], few: [], close: [], consensus: [] }, items);
    expect(s.map((g) => g.key)).toEqual(['flags']);
  });

  it('is empty without an agenda (not the facilitator, or pre-voting off)', () => {
    expect(agendaSections(null, items)).toEqual([]);
    expect(agendaSections(undefined, items)).toEqual([]);
  });
});

describe('pre-vote counts', () => {
  it('says how many, never what', () => {
    expect(preVoteCountText(0)).toBe('No pre-votes yet');
    expect(preVoteCountText(undefined)).toBe('No pre-votes yet');
    expect(preVoteCountText(1)).toBe('1 pre-vote');
    expect(preVoteCountText(3)).toBe('3 pre-votes');
  });
});

describe('timebox clock', () => {
  const tb = { startedAt: 1_000_000, endsAt: 1_060_000, minutes: 1 };

  it('corrects this page’s clock by the server’s offset, so two screens agree', () => {
    // One phone runs 5 s behind the server, another 3 s ahead: both see the same time left.
    const serverNow = 1_030_000;
    const slow = { offset: 5_000, local: serverNow - 5_000 };
    const fast = { offset: -3_000, local: serverNow + 3_000 };
    expect(timeLeft(tb, slow.local, slow.offset)).toBe(30_000);
    expect(timeLeft(tb, fast.local, fast.offset)).toBe(30_000);
    // And the same end, each on its own clock.
    expect(localEnd(tb, slow.offset) + slow.offset).toBe(localEnd(tb, fast.offset) + fast.offset);
    expect(localEnd(tb, slow.offset)).toBe(1_055_000);
  });

  it('is 0 once the end has passed', () => {
    expect(timeLeft(tb, 1_070_000, 0)).toBe(0);
  });

  it('shows minutes and seconds, rounding up', () => {
    expect(formatClock(60_000)).toBe('1:00');
    expect(formatClock(59_001)).toBe('1:00');
    expect(formatClock(59_000)).toBe('0:59');
    expect(formatClock(245_000)).toBe('4:05');
    expect(formatClock(0)).toBe('0:00');
    expect(spokenTimeLeft(245_000)).toBe('4 minutes 5 seconds left');
    expect(spokenTimeLeft(60_000)).toBe('1 minute left');
    expect(spokenTimeLeft(0)).toBe('0 seconds left');
  });
});

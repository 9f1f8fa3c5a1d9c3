import { describe, expect, it } from 'vitest';
import { applyEvent, inOrder, keptOutAt } from './reducer';
import type { RoomEvent, Round } from '../api/types';
import { item, openRound, participant, READY, room } from './testkit';

const ev = (e: Record<string, unknown>) => ({ epoch: 'e1', version: 2, ...e }) as RoomEvent;

const revealed: Round = {
  number: 1,
  itemId: 'i_1',
  revealed: true,
  voted: ['p_a', 'p_b'],
  votes: [
    { participantId: 'p_a', name: 'Ana', value: '3', flags: [] },
    { participantId: 'p_b', name: 'Bo', value: '13', flags: ['risk'] },
  ],
  stats: {
    votes: 2, numericVotes: 2, average: 8, median: 8, min: '3', max: '13',
    distribution: [{ value: '3', count: 1 }, { value: '13', count: 1 }],
    consensus: false, spread: 3, suggestion: '8', outliers: { low: ['p_a'], high: ['p_b'] }, flags: { risk: 1 },
  },
};

describe('applyEvent', () => {
  it('participant.joined adds a person once', () => {
    const s = applyEvent(room(), ev({ type: 'participant.joined', participant: participant('p_b', 'Bo') }));
    expect(s.participants.map((p) => p.name)).toEqual(['Fran', 'Ana', 'Bo']);
    const again = applyEvent(s, ev({ type: 'participant.joined', participant: participant('p_b', 'Bo') }));
    expect(again.participants).toHaveLength(3);
  });

  it('participant.updated replaces the person', () => {
    const s = applyEvent(room(), ev({ type: 'participant.updated', participant: participant('p_a', 'Anna', { role: 'observer' }) }));
    expect(s.participants[1]).toMatchObject({ name: 'Anna', role: 'observer' });
  });

  it('participant.presence marks away and back', () => {
    const s = applyEvent(room(), ev({ type: 'participant.presence', participantId: 'p_a', online: false }));
    expect(s.participants[1].online).toBe(false);
    expect(applyEvent(s, ev({ type: 'participant.presence', participantId: 'p_a', online: true })).participants[1].online).toBe(true);
  });

  it('participant.left removes the person and their voted mark', () => {
    const s = applyEvent(room({ round: openRound(1, 'i_1', ['p_a']) }), ev({ type: 'participant.left', participantId: 'p_a', reason: 'expired' }));
    expect(s.participants.map((p) => p.id)).toEqual(['p_f']);
    expect(s.round?.voted).toEqual([]);
  });

  it('participant.left for a removal keeps the removed person out, once, newest last', () => {
    const bo = { participantId: 'p_b', name: 'Bo', until: '2026-12-06T12:00:00Z' };
    const ana = { participantId: 'p_a', name: 'Ana', until: '2026-12-06T13:00:00Z' };
    let s = applyEvent(room({ keptOut: [bo] }), ev({ type: 'participant.left', participantId: 'p_a', reason: 'removed', keptOut: ana }));
    expect(s.participants.map((p) => p.id)).toEqual(['p_f']);
    expect(s.keptOut).toEqual([bo, ana]);
    s = applyEvent(s, ev({ type: 'participant.left', participantId: 'p_b', reason: 'removed', keptOut: { ...bo, until: '2026-12-06T14:00:00Z' } }));
    expect(s.keptOut.map((k) => [k.participantId, k.until])).toEqual([['p_a', ana.until], ['p_b', '2026-12-06T14:00:00Z']]);
  });

  it('participant.left without keptOut (left, expired) leaves the kept-out list alone', () => {
    const kept = [{ participantId: 'p_b', name: 'Bo', until: '2026-12-06T12:00:00Z' }];
    const s = applyEvent(room({ keptOut: kept }), ev({ type: 'participant.left', participantId: 'p_a', reason: 'left' }));
    expect(s.keptOut).toBe(kept);
  });

  it('participant.readmitted lets the person back in: their entry goes', () => {
    const kept = [
      { participantId: 'p_b', name: 'Bo', until: '2026-12-06T12:00:00Z' },
      { participantId: 'p_c', name: 'Cy', until: '2026-12-06T12:00:00Z' },
    ];
    const s = applyEvent(room({ keptOut: kept }), ev({ type: 'participant.readmitted', participantId: 'p_b' }));
    expect(s.keptOut.map((k) => k.name)).toEqual(['Cy']);
  });

  it('room.deleted changes nothing in the snapshot (the client ends on it)', () => {
    const before = room();
    expect(applyEvent(before, ev({ type: 'room.deleted' }))).toBe(before);
  });

  it('keptOutAt shows only the people whose time out is still to come', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const list = [
      { participantId: 'p_old', name: 'Old', until: '2026-12-06T11:59:59Z' },
      { participantId: 'p_now', name: 'Now', until: '2026-12-06T12:00:00Z' },
      { participantId: 'p_b', name: 'Bo', until: '2026-12-06T19:30:00.123Z' },
      { participantId: 'p_bad', name: 'Bad', until: 'soon' },
    ];
    expect(keptOutAt(list, now).map((k) => k.participantId)).toEqual(['p_b']);
  });

  it('facilitator.changed moves the role', () => {
    expect(applyEvent(room(), ev({ type: 'facilitator.changed', participantId: 'p_a' })).facilitatorId).toBe('p_a');
  });

  it('settings.changed updates settings', () => {
    const settings = { ...room().settings, autoReveal: true };
    expect(applyEvent(room(), ev({ type: 'settings.changed', settings })).settings.autoReveal).toBe(true);
  });

  it('item.added appends, item.updated replaces, item.removed removes', () => {
    let s = applyEvent(room(), ev({ type: 'item.added', item: item('i_3', { title: 'New' }) }));
    expect(s.items.map((i) => i.id)).toEqual(['i_1', 'i_2', 'i_3']);
    s = applyEvent(s, ev({ type: 'item.updated', item: item('i_3', { title: 'Renamed' }) }));
    expect(s.items[2].title).toBe('Renamed');
    s = applyEvent(s, ev({ type: 'item.removed', itemId: 'i_2' }));
    expect(s.items.map((i) => i.id)).toEqual(['i_1', 'i_3']);
  });

  it('round.started sets the open round, the item, and clears my vote', () => {
    const s = applyEvent(
      room({ myVote: { value: '5', flags: [] } }),
      ev({ type: 'round.started', round: openRound(2, 'i_2'), item: item('i_2', { status: 'voting' }) }),
    );
    expect(s.round).toMatchObject({ number: 2, itemId: 'i_2', revealed: false, voted: [] });
    expect(s.items.find((i) => i.id === 'i_2')?.status).toBe('voting');
    expect(s.items.find((i) => i.id === 'i_1')?.status).toBe('pending');
    expect(s.myVote).toBeNull();
  });

  it('round.started for a quick round keeps items', () => {
    const s = applyEvent(room(), ev({ type: 'round.started', round: openRound(2, null), item: null }));
    expect(s.round?.itemId).toBeNull();
    expect(s.items).toHaveLength(2);
  });

  it('vote.cast and vote.withdrawn track who voted, never a value', () => {
    let s = applyEvent(room(), ev({ type: 'vote.cast', participantId: 'p_a' }));
    s = applyEvent(s, ev({ type: 'vote.cast', participantId: 'p_a' }));
    expect(s.round?.voted).toEqual(['p_a']);
    expect(s.round?.votes).toBeNull();
    s = applyEvent({ ...s, myVote: { value: '3', flags: [] } }, ev({ type: 'vote.withdrawn', participantId: 'p_a' }), 'p_a');
    expect(s.round?.voted).toEqual([]);
    expect(s.myVote).toBeNull();
  });

  it('round.revealed shows votes and stats and adds the round to the item, whose event carries no history', () => {
    const { rounds: _none, ...summary } = item('i_1', { status: 'voting', roundCount: 1 });
    const s = applyEvent(room(), ev({ type: 'round.revealed', round: revealed, item: summary }));
    expect(s.round?.revealed).toBe(true);
    expect(s.round?.stats?.suggestion).toBe('8');
    expect(s.items[0].rounds).toEqual([revealed]);
    expect(s.items[0].roundCount).toBe(1);
    expect(s.quickRounds).toHaveLength(0);
  });

  it('an item event keeps the rounds the page knows, since it carries none', () => {
    const earlier = { ...revealed, number: 1 };
    const known = room({ items: [item('i_1', { rounds: [earlier], roundCount: 1 })] });
    const { rounds: _none, ...renamed } = item('i_1', { title: 'Renamed', roundCount: 1 });
    const s = applyEvent(known, ev({ type: 'item.updated', item: renamed }));
    expect(s.items[0].title).toBe('Renamed');
    expect(s.items[0].rounds).toEqual([earlier]);
  });

  it('round.revealed of a quick round is kept in quickRounds (at most 20)', () => {
    let s = room({ quickRounds: Array.from({ length: 20 }, (_, i) => ({ ...revealed, number: i + 1, itemId: null })) });
    s = applyEvent(s, ev({ type: 'round.revealed', round: { ...revealed, number: 21, itemId: null }, item: null }));
    expect(s.quickRounds).toHaveLength(20);
    expect(s.quickRounds[19].number).toBe(21);
    expect(s.quickRounds[0].number).toBe(2);
  });

  it('item.estimated stores the settled estimate', () => {
    const s = applyEvent(room(), ev({ type: 'item.estimated', item: item('i_1', { estimate: '8', status: 'estimated' }) }));
    expect(s.items[0]).toMatchObject({ estimate: '8', status: 'estimated' });
  });

  it('ignores unknown event types and does not mutate its input', () => {
    const before = room();
    const copy = JSON.parse(JSON.stringify(before));
    expect(applyEvent(before, ev({ type: 'something.new' }))).toBe(before);
    applyEvent(before, ev({ type: 'vote.cast', participantId: 'p_a' }));
    expect(before).toEqual(copy);
  });
});

describe('applyEvent: refinement', () => {
  const runway = (over: Record<string, unknown> = {}) => ({
    readyItems: 1, readyPoints: 5, sprints: null, oversized: 0, targets: { sprints: 3, readyItems: 5 }, ...over,
  });
  const summary = (id: string, extra: Parameters<typeof item>[1] = {}) => {
    const { rounds: _none, ...rest } = item(id, extra);
    return rest;
  };

  it('item.split marks the parent split and places the children right after it, in the order sent', () => {
    const start = room({ items: [item('i_1', { estimate: '13', status: 'estimated' }), item('i_2')], round: null });
    const s = applyEvent(
      start,
      ev({
        type: 'item.split',
        item: summary('i_1', { estimate: '13', status: 'split' }),
        children: [summary('i_3', { parentId: 'i_1', title: 'Part 1' }), summary('i_4', { parentId: 'i_1', title: 'Part 2' })],
        order: ['i_1', 'i_3', 'i_4', 'i_2'],
        runway: runway({ oversized: 0 }),
      }),
    );
    expect(s.items.map((i) => i.id)).toEqual(['i_1', 'i_3', 'i_4', 'i_2']);
    expect(s.items[0].status).toBe('split');
    expect(s.items[1]).toMatchObject({ parentId: 'i_1', title: 'Part 1', rounds: [] });
    expect(s.runway.oversized).toBe(0);
  });

  it('item.moved puts the backlog in the order sent', () => {
    const s = applyEvent(
      room({ items: [item('i_1'), item('i_2'), item('i_3')] }),
      ev({ type: 'item.moved', itemId: 'i_3', toIndex: 0, order: ['i_3', 'i_1', 'i_2'], runway: runway() }),
    );
    expect(s.items.map((i) => i.id)).toEqual(['i_3', 'i_1', 'i_2']);
  });

  it('item.moved without an order moves the item to toIndex', () => {
    const s = applyEvent(
      room({ items: [item('i_1'), item('i_2'), item('i_3')] }),
      ev({ type: 'item.moved', itemId: 'i_1', toIndex: 2 }),
    );
    expect(s.items.map((i) => i.id)).toEqual(['i_2', 'i_3', 'i_1']);
  });

  it('inOrder skips ids it does not know and keeps unnamed items at the end', () => {
    const items = [item('i_1'), item('i_2'), item('i_3')];
    expect(inOrder(items, ['i_3', 'i_9', 'i_1']).map((i) => i.id)).toEqual(['i_3', 'i_1', 'i_2']);
  });

  it('an event with a runway replaces the runway; one without keeps it', () => {
    const before = room();
    const added = applyEvent(before, ev({ type: 'item.added', item: summary('i_3'), runway: runway({ readyItems: 2, sprints: 0.5 }) }));
    expect(added.runway).toMatchObject({ readyItems: 2, sprints: 0.5 });
    const cast = applyEvent(added, ev({ type: 'vote.cast', participantId: 'p_a' }));
    expect(cast.runway).toBe(added.runway);
  });

  it('item.removed and round.revealed take the runway they carry', () => {
    let s = applyEvent(room(), ev({ type: 'item.removed', itemId: 'i_2', runway: runway({ readyItems: 0 }) }));
    expect(s.runway.readyItems).toBe(0);
    s = applyEvent(s, ev({ type: 'round.revealed', round: { ...openRound(1, 'i_1'), revealed: true, votes: [], stats: null }, item: summary('i_1'), runway: runway({ oversized: 1 }) }));
    expect(s.runway.oversized).toBe(1);
  });

  it('an item event keeps the readiness checks, unknowns and resolution notes it carries', () => {
    const s = applyEvent(
      room(),
      ev({
        type: 'item.updated',
        item: summary('i_1', {
          openFlags: ['scope'],
          resolvedFlags: ['risk'],
          resolutions: [{ flag: 'risk', note: 'Ops agreed to the window' }],
          readiness: { ready: false, checks: [{ id: 'risks', ok: false, missing: ['flag:scope'] }], missing: ['flag:scope'] },
        }),
      }),
    );
    expect(s.items[0].resolutions).toEqual([{ flag: 'risk', note: 'Ops agreed to the window' }]);
    expect(s.items[0].readiness.checks[0]).toEqual({ id: 'risks', ok: false, missing: ['flag:scope'] });
  });

  it('settings.changed takes the velocity, the runway and each item\'s readiness as the service evaluated it', () => {
    const ready = item('i_1', { acceptanceCriteria: 'AC', value: 'Why', estimate: '5', status: 'estimated', readiness: READY });
    const big = item('i_2', { acceptanceCriteria: 'AC', value: 'Why', estimate: '13', status: 'estimated' });
    const start = room({ items: [ready, big], round: null });
    const velocityOnly = applyEvent(start, ev({ type: 'settings.changed', settings: { ...start.settings, velocity: 10 }, runway: runway({ sprints: 0.5 }) }));
    expect(velocityOnly.settings.velocity).toBe(10);
    expect(velocityOnly.runway.sprints).toBe(0.5);
    expect(velocityOnly.items).toBe(start.items);

    const noValue = { ...start.settings.readiness, value: false, maxEstimate: '13' };
    const serviceSays = { ready: true, checks: [{ id: 'definition' as const, ok: true, missing: [] }], missing: [] };
    const s = applyEvent(
      start,
      ev({ type: 'settings.changed', settings: { ...start.settings, readiness: noValue }, itemReadiness: { i_2: serviceSays } }),
    );
    expect(s.items[1].readiness).toEqual(serviceSays);
    expect(s.items[0].readiness).toBe(ready.readiness);
  });
});


describe('applyEvent: the meeting', () => {
  it('prevote.cast and prevote.withdrawn update the count only, never a value', () => {
    const s = applyEvent(room(), ev({ type: 'prevote.cast', itemId: 'i_2', participantId: 'p_b', preVoteCount: 2 }), 'p_a');
    expect(s.items[1].preVoteCount).toBe(2);
    const w = applyEvent({ ...s, myPreVotes: { i_2: { value: '5', flags: [] } } }, ev({ type: 'prevote.withdrawn', itemId: 'i_2', participantId: 'p_b', preVoteCount: 1 }), 'p_a');
    expect(w.items[1].preVoteCount).toBe(1);
    expect(w.myPreVotes).toEqual({ i_2: { value: '5', flags: [] } });
  });

  it('our own pre-vote withdrawn (from another tab) leaves myPreVotes', () => {
    const s = room({ myPreVotes: { i_2: { value: '5', flags: [] } } });
    const w = applyEvent(s, ev({ type: 'prevote.withdrawn', itemId: 'i_2', participantId: 'p_a', preVoteCount: 0 }), 'p_a');
    expect(w.myPreVotes).toEqual({});
  });

  it('a round on an item adopts our pre-vote as the hidden vote, and the item’s pre-votes are spent', () => {
    const s = room({
      round: null,
      items: [item('i_1', { status: 'estimated', estimate: '3' }), item('i_2', { preVoteCount: 2 })],
      myPreVotes: { i_2: { value: '8', flags: ['risk'] }, i_3: { value: '1', flags: [] } },
    });
    const started = applyEvent(
      s,
      ev({ type: 'round.started', round: openRound(2, 'i_2', ['p_a', 'p_b']), item: item('i_2', { status: 'voting', preVoteCount: 0 }) }),
      'p_a',
    );
    expect(started.myVote).toEqual({ value: '8', flags: ['risk'] });
    expect(started.round?.voted).toEqual(['p_a', 'p_b']);
    expect(started.items[1].preVoteCount).toBe(0);
    expect(started.myPreVotes).toEqual({ i_3: { value: '1', flags: [] } });
  });

  it('a round the service did not list us in starts without a vote', () => {
    const s = room({ round: null, myPreVotes: { i_2: { value: '8', flags: [] } } });
    const started = applyEvent(s, ev({ type: 'round.started', round: openRound(2, 'i_2', ['p_b']), item: item('i_2', { status: 'voting' }) }), 'p_a');
    expect(started.myVote).toBeNull();
  });

  it('note.added appends the note; item events keep the notes they do not carry', () => {
    const note = { number: 1, round: 1, author: 'Fran', text: 'Spike first' };
    const s = applyEvent(room(), ev({ type: 'note.added', itemId: 'i_1', note }));
    expect(s.items[0].notes).toEqual([note]);
    const again = applyEvent(s, ev({ type: 'note.added', itemId: 'i_1', note }));
    expect(again.items[0].notes).toHaveLength(1);
    const updated = applyEvent(again, ev({ type: 'item.updated', item: item('i_1', { title: 'Renamed' }) }));
    expect(updated.items[0]).toMatchObject({ title: 'Renamed', notes: [note] });
    const revealedItem = applyEvent(updated, ev({ type: 'round.revealed', round: revealed, item: item('i_1') }));
    expect(revealedItem.items[0].notes).toEqual([note]);
  });

  it('scribe.changed names the scribe; the scribe leaving clears it', () => {
    const s = applyEvent(room(), ev({ type: 'scribe.changed', participantId: 'p_a' }));
    expect(s.scribeId).toBe('p_a');
    expect(applyEvent(s, ev({ type: 'participant.left', participantId: 'p_a', reason: 'left' })).scribeId).toBeNull();
    expect(applyEvent(s, ev({ type: 'scribe.changed', participantId: null })).scribeId).toBeNull();
  });

  it('timebox.started and timebox.stopped', () => {
    const timebox = { startedAt: 1000, endsAt: 61_000, minutes: 1 };
    const s = applyEvent(room(), ev({ type: 'timebox.started', timebox }));
    expect(s.timebox).toEqual(timebox);
    expect(applyEvent(s, ev({ type: 'timebox.stopped' })).timebox).toBeNull();
  });

  it('settings.changed carries preVoting; switching it off drops the agenda', () => {
    const agenda = { diverge: ['i_2'], flags: [], few: [], close: [], consensus: [] };
    const s = room({ agenda, settings: { ...room().settings, preVoting: true } });
    const off = applyEvent(s, ev({ type: 'settings.changed', settings: { ...s.settings, preVoting: false } }));
    expect(off.settings.preVoting).toBe(false);
    expect(off.agenda).toBeNull();
  });

  it('an expired facilitator’s role passes to whom participant.left names', () => {
    const s = applyEvent(room(), ev({ type: 'participant.left', participantId: 'p_f', reason: 'expired', facilitatorId: 'p_a' }));
    expect(s.facilitatorId).toBe('p_a');
    expect(s.participants.map((p) => p.id)).toEqual(['p_a']);
  });

  it('a facilitator leaving with nobody named leaves the room without one', () => {
    const s = applyEvent(room(), ev({ type: 'participant.left', participantId: 'p_f', reason: 'expired' }));
    expect(s.facilitatorId).toBeNull();
  });

  it('facilitator.changed away from us drops our agenda', () => {
    const agenda = { diverge: [], flags: [], few: ['i_2'], close: [], consensus: [] };
    const s = applyEvent(room({ agenda }), ev({ type: 'facilitator.changed', participantId: 'p_a', reason: 'transfer' }), 'p_f');
    expect(s.facilitatorId).toBe('p_a');
    expect(s.agenda).toBeNull();
  });

  it('a split drops our pre-vote on the parent', () => {
    const s = room({ myPreVotes: { i_2: { value: '13', flags: [] } } });
    const split = applyEvent(
      s,
      ev({ type: 'item.split', item: item('i_2', { status: 'split' }), children: [item('i_3'), item('i_4')], order: ['i_1', 'i_2', 'i_3', 'i_4'] }),
    );
    expect(split.myPreVotes).toEqual({});
  });
});

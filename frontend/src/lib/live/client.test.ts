import { beforeEach, describe, expect, it } from 'vitest';
import { LiveClient, roomSocketUrl, type LiveView, type Notice } from './client';
import { FakeClock, FakeSocket, MemoryStore, participant, room } from './testkit';
import type { TabChannel, TabMessage } from './session';
import type { Welcome } from '../api/types';

function welcome(extra: Partial<Welcome> = {}): Welcome {
  return {
    type: 'welcome',
    you: { id: 'p_a', name: 'Ana', role: 'voter', facilitator: false },
    token: 'tok-1',
    epoch: 'e1',
    version: 10,
    state: room(),
    ...extra,
  };
}

describe('LiveClient', () => {
  let clock: FakeClock;
  let sockets: FakeSocket[];
  let store: MemoryStore;
  let views: LiveView[];
  let notices: Notice[];
  let randomValue: number;

  const make = (extra: Partial<ConstructorParameters<typeof LiveClient>[0]> = {}) =>
    new LiveClient({
      roomId: 'r1',
      url: 'ws://h/ws/rooms/r1',
      name: 'Ana',
      role: 'voter',
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      clock,
      random: () => randomValue,
      storage: store,
      onChange: (v) => views.push(v),
      onNotice: (n) => notices.push(n),
      ...extra,
    });
  const last = () => sockets[sockets.length - 1];
  const view = () => views[views.length - 1];

  beforeEach(() => {
    clock = new FakeClock();
    sockets = [];
    store = new MemoryStore();
    views = [];
    notices = [];
    randomValue = 0.5;
  });

  it('joins first, with the facilitator key only on a fresh join', () => {
    const c = make({ facilitatorKey: 'KEY' });
    c.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', facilitatorKey: 'KEY' });
  });

  it('goes live on welcome and saves the resume token per room', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    expect(view().status).toBe('live');
    expect(view().you?.id).toBe('p_a');
    expect(JSON.parse(store.getItem('readyroom:r1')!)).toMatchObject({ token: 'tok-1', epoch: 'e1', version: 10, participantId: 'p_a' });
  });

  it('a reload resumes with the saved token and epoch, asking for a snapshot (no key)', () => {
    const c1 = make({ facilitatorKey: 'KEY' });
    c1.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'vote.cast', epoch: 'e1', version: 11, participantId: 'p_f' });
    c1.stop();
    const c2 = make();
    c2.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 'tok-1', epoch: 'e1' } });
  });

  it('a resume answered without snapshot keeps the state and applies the replayed events', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().serverClose(1006);
    clock.advance(600);
    last().open();
    expect(last().sent[0]).toMatchObject({ resume: { token: 'tok-1', epoch: 'e1', version: 10 } });
    last().receive({ ...welcome(), state: null, version: 10 });
    last().receive({ type: 'vote.cast', epoch: 'e1', version: 11, participantId: 'p_f' });
    expect(view().status).toBe('live');
    expect(view().room?.round?.voted).toEqual(['p_f']);
    expect(view().version).toBe(11);
  });

  it('a welcome without snapshot on a fresh page asks again for a snapshot', () => {
    store.setItem('readyroom:r1', JSON.stringify({ name: 'Ana', role: 'voter', token: 't', epoch: 'e1', version: 3 }));
    const c = make();
    c.start();
    last().open();
    last().receive({ ...welcome(), state: null, version: 3 });
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 't', epoch: 'e1' } });
    last().receive(welcome({ version: 5 }));
    expect(view().status).toBe('live');
    expect(view().room?.name).toBe('Team Falcon');
  });

  it('applies events in order and ignores duplicates', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'vote.cast', epoch: 'e1', version: 11, participantId: 'p_f' });
    last().receive({ type: 'vote.cast', epoch: 'e1', version: 11, participantId: 'p_f' });
    expect(view().version).toBe(11);
    expect(view().room?.round?.voted).toEqual(['p_f']);
    expect(sockets).toHaveLength(1);
  });

  it('a version gap triggers a resync: a new connection with resume', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'vote.cast', epoch: 'e1', version: 13, participantId: 'p_f' });
    expect(sockets).toHaveLength(2);
    expect(sockets[0].closedWith).toBe(4000);
    expect(view().room?.round?.voted).toEqual([]);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'join', resume: { token: 'tok-1', epoch: 'e1', version: 10 } });
    last().receive(welcome({ version: 13, state: room({ round: { number: 1, itemId: 'i_1', revealed: false, voted: ['p_f', 'p_x'], votes: null, stats: null } }) }));
    expect(view().room?.round?.voted).toEqual(['p_f', 'p_x']);
    expect(view().version).toBe(13);
  });

  it('a new epoch triggers a resync', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'vote.cast', epoch: 'e2', version: 11, participantId: 'p_f' });
    expect(sockets).toHaveLength(2);
  });

  it('shows reconnecting at once on a drop and reconnects on the backoff schedule', () => {
    randomValue = 0.999;
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().serverClose(1006);
    expect(view().status).toBe('reconnecting');
    // attempt 0: delay < 500 ms
    clock.advance(498);
    expect(sockets).toHaveLength(1);
    clock.advance(2);
    expect(sockets).toHaveLength(2);
    last().serverClose(1006); // attempt 1: < 1000 ms
    clock.advance(998);
    expect(sockets).toHaveLength(2);
    clock.advance(2);
    expect(sockets).toHaveLength(3);
    last().serverClose(1006); // attempt 2: < 2000 ms
    clock.advance(1997);
    expect(sockets).toHaveLength(3);
    clock.advance(3);
    expect(sockets).toHaveLength(4);
    last().open();
    last().receive(welcome());
    expect(view().status).toBe('live');
    last().serverClose(1006); // attempts reset after welcome
    clock.advance(500);
    expect(sockets).toHaveLength(5);
  });

  it('treats the browser going offline as a drop and reconnects at once when back online', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    c.networkChanged(false);
    expect(view().status).toBe('reconnecting');
    expect(sockets[0].closedWith).toBe(4000);
    const before = sockets.length;
    c.networkChanged(true);
    expect(sockets.length).toBe(before + 1);
  });

  it('drops a socket that looks stuck (data buffered for seconds)', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().bufferedAmount = 100;
    clock.advance(3000);
    expect(view().status).toBe('live');
    clock.advance(3000);
    expect(view().status).toBe('reconnecting');
  });

  it('a vote made offline is kept and resent with the same opId after welcome', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    c.networkChanged(false);
    const opId = c.send({ type: 'vote', value: '5', flags: ['risk'] });
    expect(view().room?.myVote).toEqual({ value: '5', flags: ['risk'] });
    expect(view().pending.map((p) => [p.opId, p.status])).toEqual([[opId, 'queued']]);
    c.networkChanged(true);
    last().open();
    expect(last().sent).toHaveLength(1); // only join until welcome
    last().receive(welcome({ version: 12 }));
    expect(last().sent[1]).toEqual({ type: 'vote', value: '5', flags: ['risk'], opId });
    expect(view().room?.myVote).toEqual({ value: '5', flags: ['risk'] });
    last().receive({ type: 'ack', opId, version: 13, vote: { value: '5', flags: ['risk'] } });
    expect(view().pending).toEqual([]);
  });

  it('a vote sent but unanswered when the connection drops is resent with the same opId', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    const opId = c.send({ type: 'vote', value: '8' });
    expect(last().lastSent()).toEqual({ type: 'vote', value: '8', opId });
    last().serverClose(1006);
    clock.advance(600);
    last().open();
    last().receive(welcome());
    expect(last().lastSent()).toEqual({ type: 'vote', value: '8', opId });
  });

  it('gives a vote up as not sent after 30 s, and does not resend it', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    c.networkChanged(false);
    c.send({ type: 'vote', value: '5' });
    clock.advance(31_000);
    expect(view().pending.map((p) => p.status)).toEqual(['unsent']);
    expect(view().room?.myVote).toBeNull();
    expect(notices.map((n) => n.message)).toContain('Your vote was not sent.');
    c.networkChanged(true);
    last().open();
    last().receive(welcome());
    expect(last().sent.map((m) => m.type)).toEqual(['join']);
  });

  it('matches errors by opId and restores the confirmed vote', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome({ state: room({ myVote: { value: '3', flags: [] } }) }));
    const opId = c.send({ type: 'vote', value: '21' });
    expect(view().room?.myVote?.value).toBe('21');
    last().receive({ type: 'error', opId, code: 'round_revealed', message: 'The round is revealed.' });
    expect(view().room?.myVote?.value).toBe('3');
    expect(notices[0]).toMatchObject({ code: 'round_revealed', command: 'vote' });
    expect(view().pending).toEqual([]);
  });

  it('ends without retry on 4403 (removed), 4404 (deleted) and 4409 (elsewhere)', () => {
    for (const [code, reason] of [[4403, 'removed'], [4404, 'deleted'], [4409, 'elsewhere']] as const) {
      sockets = [];
      const c = make();
      c.start();
      last().open();
      last().receive(welcome());
      last().serverClose(code);
      clock.advance(20_000);
      expect(view().status).toBe('ended');
      expect(view().endReason).toBe(reason);
      expect(sockets).toHaveLength(1);
      c.stop();
    }
  });

  describe('tabs of one browser', () => {
    /** The BroadcastChannel of one room: every tab hears the others, never itself. */
    function bus() {
      const listeners = new Set<(m: TabMessage) => void>();
      const channel: TabChannel = {
        post: (m) => listeners.forEach((l) => l(m)),
        listen: (cb) => {
          listeners.add(cb);
          return () => listeners.delete(cb);
        },
        close: () => listeners.clear(),
      };
      return channel;
    }

    it('a second tab resumes the same participant instead of joining as a new one', () => {
      const channel = bus();
      const a = make({ tabs: { channel, id: 'A' } });
      a.start();
      last().open();
      expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter' });
      last().receive(welcome());
      const b = make({ tabs: { channel, id: 'B' } });
      b.start();
      last().open();
      expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 'tok-1', epoch: 'e1' } });
      a.stop();
      b.stop();
    });

    it('a tab that is reconnecting stops when another tab takes over, so they never fight', () => {
      const channel = bus();
      const seen: LiveView[] = [];
      const a = make({ tabs: { channel, id: 'A' }, onChange: (v) => seen.push(v) });
      a.start();
      const aSocket = last();
      aSocket.open();
      aSocket.receive(welcome());
      aSocket.serverClose(1006);
      expect(seen[seen.length - 1].status).toBe('reconnecting');
      const b = make({ tabs: { channel, id: 'B' } });
      b.start();
      last().open();
      last().receive(welcome({ token: 'tok-1' }));
      const count = sockets.length;
      clock.advance(60_000);
      expect(seen[seen.length - 1]).toMatchObject({ status: 'ended', endReason: 'elsewhere' });
      expect(sockets).toHaveLength(count);
      a.stop();
      b.stop();
    });

    it('a live tab waits for the server to say which resume it kept (4409)', () => {
      const channel = bus();
      const seen: LiveView[] = [];
      const a = make({ tabs: { channel, id: 'A' }, onChange: (v) => seen.push(v) });
      a.start();
      const aSocket = last();
      aSocket.open();
      aSocket.receive(welcome());
      channel.post({ type: 'active', tab: 'B' });
      expect(seen[seen.length - 1].status).toBe('live');
      aSocket.serverClose(4409);
      expect(seen[seen.length - 1]).toMatchObject({ status: 'ended', endReason: 'elsewhere' });
      a.stop();
    });
  });

  it('keeps the session token when closed with 4403, so a later join presents it', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().serverClose(4403);
    expect(view().endReason).toBe('removed');
    expect(JSON.parse(store.getItem('readyroom:r1')!)).toMatchObject({ token: 'tok-1', participantId: 'p_a' });
    const later = make();
    later.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 'tok-1', epoch: 'e1' } });
  });

  it('keeps the session token when its own participant.left says removed', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({
      type: 'participant.left', epoch: 'e1', version: 11, participantId: 'p_a', reason: 'removed',
      keptOut: { participantId: 'p_a', name: 'Ana', until: '2026-12-06T12:00:00Z' },
    });
    expect(view().status).toBe('ended');
    expect(view().endReason).toBe('removed');
    expect(sockets[0].closedWith).toBe(1000);
    expect(JSON.parse(store.getItem('readyroom:r1')!)).toMatchObject({ token: 'tok-1' });
  });

  it('forgets the session when it left for good (participant.left, reason left)', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'participant.left', epoch: 'e1', version: 11, participantId: 'p_a', reason: 'left' });
    expect(view().endReason).toBe('left');
    expect(store.getItem('readyroom:r1')).toBeNull();
  });

  it('a join refused as removed ends as a refused join and keeps the token', () => {
    store.setItem('readyroom:r1', JSON.stringify({ name: 'Ana', role: 'voter', participantId: 'p_a', token: 'tok-1', epoch: 'e1', version: 12 }));
    const c = make();
    c.start();
    last().open();
    last().receive({ type: 'error', code: 'removed', message: 'The facilitator removed you from this room; ask them to let you back in.' });
    last().serverClose(4403);
    clock.advance(20_000);
    expect(view().status).toBe('ended');
    expect(view().endReason).toBe('join_failed');
    expect(view().joinError?.code).toBe('removed');
    expect(sockets).toHaveLength(1);
    expect(JSON.parse(store.getItem('readyroom:r1')!)).toMatchObject({ token: 'tok-1' });
  });

  it('a reconnect refused as removed ends as removed, not as a refused join', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().serverClose(1006);
    clock.advance(1000);
    last().open();
    last().receive({ type: 'error', code: 'removed', message: 'Removed.' });
    expect(view().status).toBe('ended');
    expect(view().endReason).toBe('removed');
    expect(store.getItem('readyroom:r1')).not.toBeNull();
  });

  it('once let back in, a join with the old token is welcomed as someone new and the new token is kept', () => {
    store.setItem('readyroom:r1', JSON.stringify({ name: 'Ana', role: 'voter', participantId: 'p_a', token: 'tok-1', epoch: 'e1', version: 12 }));
    const c = make();
    c.start();
    last().open();
    expect(last().sent[0]).toMatchObject({ resume: { token: 'tok-1', epoch: 'e1' } });
    last().receive(welcome({ you: { id: 'p_new', name: 'Ana', role: 'voter', facilitator: false }, token: 'tok-2', version: 15 }));
    expect(view().status).toBe('live');
    expect(view().you?.id).toBe('p_new');
    expect(JSON.parse(store.getItem('readyroom:r1')!)).toMatchObject({ participantId: 'p_new', token: 'tok-2', version: 15 });
    last().serverClose(1006);
    clock.advance(1000);
    last().open();
    expect(last().sent[0]).toMatchObject({ resume: { token: 'tok-2', epoch: 'e1', version: 15 } });
  });

  it('room.deleted ends with deleted, names who deleted it and forgets the session', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'room.deleted', epoch: 'e1', version: 11 });
    expect(view().status).toBe('ended');
    expect(view().endReason).toBe('deleted');
    expect(view().deletedBy).toBe('facilitator');
    expect(store.getItem('readyroom:r1')).toBeNull();
    expect(sockets[0].closedWith).toBe(1000);
    clock.advance(20_000);
    expect(sockets).toHaveLength(1);
  });

  it('room.deleted tells the facilitator who deleted it that they did', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome({ you: { id: 'p_f', name: 'Fran', role: 'observer', facilitator: true } }));
    const opId = c.send({ type: 'room.delete' });
    expect(last().lastSent()).toEqual({ type: 'room.delete', opId });
    last().receive({ type: 'room.deleted', epoch: 'e1', version: 11 });
    expect(view().endReason).toBe('deleted');
    expect(view().deletedBy).toBe('you');
  });

  it('a 4404 close without the event ends with deleted, not knowing who, and forgets the session', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().serverClose(4404);
    expect(view().endReason).toBe('deleted');
    expect(view().deletedBy).toBeNull();
    expect(store.getItem('readyroom:r1')).toBeNull();
  });

  it('a command refused with room_deleted ends with deleted', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    const opId = c.send({ type: 'vote', value: '5' });
    last().receive({ type: 'error', opId, code: 'room_deleted', message: 'This room was deleted.' });
    expect(view().endReason).toBe('deleted');
    expect(notices).toEqual([]);
  });

  it('a refused join ends with the error to show', () => {
    const c = make();
    c.start();
    last().open();
    last().receive({ type: 'error', code: 'invalid_name', message: 'Bad name' });
    expect(view().status).toBe('ended');
    expect(view().joinError).toEqual({ code: 'invalid_name', message: 'Bad name' });
  });

  it('follows its own role and the facilitator changes', () => {
    const c = make();
    c.start();
    last().open();
    last().receive(welcome());
    last().receive({ type: 'facilitator.changed', epoch: 'e1', version: 11, participantId: 'p_a' });
    expect(view().you?.facilitator).toBe(true);
    last().receive({ type: 'participant.updated', epoch: 'e1', version: 12, participant: participant('p_a', 'Ana B', { role: 'observer' }) });
    expect(view().you).toMatchObject({ name: 'Ana B', role: 'observer' });
  });

  it('builds the socket URL from the page location', () => {
    expect(roomSocketUrl({ protocol: 'https:', host: 'rr.example:8443' }, 'abc')).toBe('wss://rr.example:8443/ws/rooms/abc');
    expect(roomSocketUrl({ protocol: 'http:', host: 'localhost:8080' }, 'abc')).toBe('ws://localhost:8080/ws/rooms/abc');
  });

  describe('the meeting', () => {
    const live = (extra: Partial<Welcome> = {}) => {
      const c = make();
      c.start();
      last().open();
      last().receive(welcome(extra));
      return c;
    };

    it('the welcome’s serverTime gives the clock offset for the timebox', () => {
      clock.t = 1_000_000;
      live({ serverTime: 1_004_500 });
      expect(view().clockOffset).toBe(4_500);
    });

    it('a pre-vote shows at once, is confirmed by the ack, and a refused one goes back', () => {
      const c = live({ state: room({ myPreVotes: {} }) });
      c.send({ type: 'prevote', itemId: 'i_2', value: '5', flags: ['risk'] });
      const sent = last().lastSent() as { opId: string };
      expect(sent).toMatchObject({ type: 'prevote', itemId: 'i_2', value: '5', flags: ['risk'] });
      expect(view().room?.myPreVotes).toEqual({ i_2: { value: '5', flags: ['risk'] } });
      last().receive({ type: 'ack', opId: sent.opId, version: 11, vote: { value: '5', flags: ['risk'] } });
      expect(view().room?.myPreVotes).toEqual({ i_2: { value: '5', flags: ['risk'] } });

      c.send({ type: 'prevote', itemId: 'i_2', value: '8' });
      const second = last().lastSent() as { opId: string };
      expect(view().room?.myPreVotes?.i_2.value).toBe('8');
      last().receive({ type: 'error', opId: second.opId, code: 'prevoting_off', message: 'Pre-voting is off.' });
      expect(view().room?.myPreVotes).toEqual({ i_2: { value: '5', flags: ['risk'] } });
      expect(notices[notices.length - 1]).toMatchObject({ code: 'prevoting_off', command: 'prevote' });

      c.send({ type: 'prevote', itemId: 'i_2', value: null });
      expect(view().room?.myPreVotes).toEqual({});
      last().receive({ type: 'ack', opId: (last().lastSent() as { opId: string }).opId, version: 12 });
      expect(view().room?.myPreVotes).toEqual({});
    });

    it('refreshSnapshot resumes without a version and takes the new snapshot, staying live', () => {
      const c = live();
      const first = last();
      c.refreshSnapshot();
      expect(first.closedWith).toBe(4000);
      expect(view().status).toBe('live');
      last().open();
      expect(last().sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 'tok-1', epoch: 'e1' } });
      const agenda = { diverge: ['i_2'], flags: [], few: [], close: [], consensus: [] };
      last().receive(welcome({ version: 14, state: room({ agenda }) }));
      expect(view().room?.agenda).toEqual(agenda);
      expect(view().version).toBe(14);
      // A later drop resumes with the version again.
      last().serverClose(1006);
      clock.advance(20_000);
      last().open();
      expect(last().sent[0]).toMatchObject({ resume: { token: 'tok-1', epoch: 'e1', version: 14 } });
    });

    it('tells the room when an away facilitator’s role passed on, and who has it now', () => {
      live({ state: room({ participants: [participant('p_f', 'Fran', { role: 'observer' }), participant('p_a', 'Ana'), participant('p_b', 'Bo')] }) });
      last().receive({ type: 'participant.left', epoch: 'e1', version: 11, participantId: 'p_f', reason: 'expired', facilitatorId: 'p_a' });
      expect(view().room?.facilitatorId).toBe('p_a');
      expect(view().you?.facilitator).toBe(true);
      expect(view().handover).toEqual({ reason: 'expired', fromName: 'Fran', toId: 'p_a', toName: 'Ana', version: 11 });
      // The key's holder takes it back: the room is told that too.
      last().receive({ type: 'participant.joined', epoch: 'e1', version: 12, participant: participant('p_g', 'Fran', { role: 'observer' }) });
      last().receive({ type: 'facilitator.changed', epoch: 'e1', version: 13, participantId: 'p_g', reason: 'claim' });
      expect(view().you?.facilitator).toBe(false);
      expect(view().handover).toMatchObject({ reason: 'claim', fromName: 'Ana', toName: 'Fran' });
      // A plain transfer needs no notice.
      last().receive({ type: 'facilitator.changed', epoch: 'e1', version: 14, participantId: 'p_b', reason: 'transfer' });
      expect(view().handover).toBeNull();
    });

    it('a round from pre-votes makes our pre-vote the confirmed vote', () => {
      const c = live({ state: room({ round: null, myPreVotes: { i_2: { value: '8', flags: [] } } }) });
      last().receive({
        type: 'round.started', epoch: 'e1', version: 11,
        round: { number: 2, itemId: 'i_2', revealed: false, voted: ['p_a'], votes: null, stats: null },
        item: { ...room().items[1], status: 'voting', preVoteCount: 0 },
      });
      expect(view().room?.myVote).toEqual({ value: '8', flags: [] });
      // A changed vote that is refused goes back to the adopted pre-vote, not to nothing.
      c.send({ type: 'vote', value: '13' });
      last().receive({ type: 'error', opId: (last().lastSent() as { opId: string }).opId, code: 'unavailable', message: 'Try again.' });
      expect(view().room?.myVote).toEqual({ value: '8', flags: [] });
    });
  });
});

describe('LiveClient facilitator claim', () => {
  it('sends the key with resume only when claiming, and only once', () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    store.setItem('readyroom:r1', JSON.stringify({ name: 'Ana', role: 'voter', token: 't', epoch: 'e1', version: 3, facilitatorKey: 'K' }));
    const sockets: FakeSocket[] = [];
    const c = new LiveClient({
      roomId: 'r1', url: 'ws://x', name: 'Ana', role: 'voter', claimFacilitator: true, clock, storage: store,
      createSocket: (u) => { const s = new FakeSocket(u); sockets.push(s); return s; },
    });
    c.start();
    sockets[0].open();
    expect(sockets[0].sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 't', epoch: 'e1' }, facilitatorKey: 'K' });
    sockets[0].receive({ type: 'welcome', you: { id: 'p', name: 'Ana', role: 'voter', facilitator: true }, token: 't2', epoch: 'e1', version: 4, state: room() });
    sockets[0].serverClose(1006);
    clock.advance(1000);
    sockets[1].open();
    expect(sockets[1].sent[0]).toEqual({ type: 'join', name: 'Ana', role: 'voter', resume: { token: 't2', epoch: 'e1', version: 4 } });
  });
});

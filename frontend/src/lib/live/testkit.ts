// Test doubles for the live client: a manual clock and a scriptable socket.
import type { Clock, SocketLike } from './client';
import type { Item, Participant, Readiness, RoomState, Round } from '../api/types';

export class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Moves time forward, running due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

export class FakeSocket implements SocketLike {
  readyState = 0;
  bufferedAmount = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  lastSent() {
    return this.sent[this.sent.length - 1];
  }
}

export class MemoryStore {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

export const deck = { id: 'fibonacci', name: 'Fibonacci', cards: ['0', '1', '2', '3', '5', '8', '13', '21', '?', 'coffee'] };

export function participant(id: string, name: string, extra: Partial<Participant> = {}): Participant {
  return { id, name, role: 'voter', online: true, ...extra };
}

export function item(id: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    title: 'Item ' + id,
    description: null,
    acceptanceCriteria: null,
    reference: null,
    value: '',
    dependencies: '',
    parentId: null,
    estimate: null,
    status: 'pending',
    rounds: [],
    roundCount: 0,
    openFlags: [],
    resolvedFlags: [],
    resolutions: [],
    readiness: {
      ready: false,
      checks: [
        { id: 'definition', ok: false, missing: ['acceptance'] },
        { id: 'value', ok: false, missing: ['value'] },
        { id: 'size', ok: false, missing: ['estimate'] },
        { id: 'risks', ok: true, missing: [] },
      ],
      missing: ['acceptance', 'value', 'estimate'],
    },
    ...extra,
  };
}

export function openRound(number: number, itemId: string | null, voted: string[] = []): Round {
  return { number, itemId, revealed: false, voted, votes: null, stats: null };
}

export function room(extra: Partial<RoomState> = {}): RoomState {
  return {
    id: 'r1',
    name: 'Team Falcon',
    deck,
    settings: {
      autoReveal: false,
      readiness: { definition: true, value: true, size: true, risks: true, maxEstimate: '8' },
      velocity: null,
    },
    facilitatorId: 'p_f',
    participants: [participant('p_f', 'Fran', { role: 'observer' }), participant('p_a', 'Ana')],
    items: [item('i_1', { status: 'voting' }), item('i_2')],
    round: openRound(1, 'i_1'),
    myVote: null,
    quickRounds: [],
    keptOut: [],
    runway: { readyItems: 0, readyPoints: 0, sprints: null, oversized: 0, targets: { sprints: 3, readyItems: 5 } },
    ...extra,
  };
}

/** A readiness with every check ok. */
export const READY: Readiness = {
  ready: true,
  checks: [
    { id: 'definition', ok: true, missing: [] },
    { id: 'value', ok: true, missing: [] },
    { id: 'size', ok: true, missing: [] },
    { id: 'risks', ok: true, missing: [] },
  ],
  missing: [],
};

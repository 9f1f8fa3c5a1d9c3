import type {
  Ack,
  Command,
  ErrorMessage,
  JoinMessage,
  MyVote,
  Role,
  RoomEvent,
  RoomState,
  Welcome,
  You,
} from '../api/types';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { Outbox, type OutboxEntry } from './outbox';
import { applyEvent } from './reducer';
import { checkSequence } from './sequence';
import { clearSession, loadSession, saveSession, type KeyValueStore, type SavedSession, type TabChannel, type TabMessage } from './session';

/** The part of the browser WebSocket the client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type ConnStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';
export type EndReason = 'left' | 'removed' | 'deleted' | 'gone' | 'elsewhere' | 'join_failed' | 'protocol';

export interface LiveView {
  status: ConnStatus;
  endReason: EndReason | null;
  joinError: { code: string; message: string } | null;
  /** Who deleted the room, when the `room.deleted` event said so; null when only the close told. */
  deletedBy: 'you' | 'facilitator' | null;
  you: You | null;
  room: RoomState | null;
  epoch: string | null;
  version: number;
  /** Commands not yet answered, oldest first (copies). `unsent` ones were given up. */
  pending: OutboxEntry[];
  /** The server clock less this page's clock (ms), from the welcome's `serverTime`: a timebox ends at `endsAt - clockOffset` here. */
  clockOffset: number;
  /** The facilitator role changed hands without the old one handing it on (away past the grace period), for the room to be told. */
  handover: Handover | null;
}

/** Who lost and who took the facilitator role, and how, for the notice the room sees. */
export interface Handover {
  reason: 'expired' | 'claim';
  /** The name of the facilitator who was away, or who had the role before the claim (null if unknown). */
  fromName: string | null;
  toId: string;
  toName: string | null;
  /** The event's version: a notice is dismissed per hand-over. */
  version: number;
}

export interface Notice {
  kind: 'error' | 'info';
  code?: string;
  message: string;
  command?: string;
}

export interface LiveOptions {
  roomId: string;
  url: string;
  name: string;
  role: Role;
  facilitatorKey?: string;
  /** Send the facilitator key even when resuming (the person just opened a facilitator link). */
  claimFacilitator?: boolean;
  createSocket: (url: string) => SocketLike;
  clock?: Clock;
  random?: () => number;
  storage?: KeyValueStore;
  /** The other tabs of this browser in this room, and this tab's id among them. */
  tabs?: { channel: TabChannel; id: string };
  backoff?: BackoffOptions;
  giveUpMs?: number;
  /** Asked after a few failed reconnects: false means the room is gone (the upgrade was refused). */
  roomExists?: () => Promise<boolean>;
  onChange?: (view: LiveView) => void;
  onNotice?: (notice: Notice) => void;
}

const OPEN = 1;
const CONNECTING = 0;
const TICK_MS = 1000;
const STUCK_MS = 4000;
const CONNECT_TIMEOUT_MS = 8000;

/**
 * One participant's live connection to a room: joins (or resumes), keeps the room snapshot current
 * from events, detects gaps and epoch changes, reconnects with backoff, and delivers commands
 * through an opId outbox. It has no DOM dependency: the page passes in socket, clock and storage.
 */
export class LiveClient {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly outbox: Outbox;
  private ws: SocketLike | null = null;
  private welcomed = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private tickTimer: unknown = null;
  private openedAt = 0;
  private bufferedSince: number | null = null;
  private stopped = false;
  private confirmedVote: MyVote | null = null;
  /** Pre-votes the service confirmed, by item id: what a refused or given-up pre-vote goes back to. */
  private confirmedPreVotes: Record<string, MyVote> = {};
  /** A fresh snapshot was asked for (the facilitator's agenda): the page stays live meanwhile. */
  private refreshing = false;
  clockOffset = 0;
  handover: Handover | null = null;
  private session: SavedSession;
  private claimKey: boolean;
  private unlistenTabs: (() => void) | null = null;

  status: ConnStatus = 'connecting';
  endReason: EndReason | null = null;
  joinError: { code: string; message: string } | null = null;
  deletedBy: 'you' | 'facilitator' | null = null;
  you: You | null = null;
  room: RoomState | null = null;
  epoch: string | null = null;
  version = 0;

  constructor(private readonly opts: LiveOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    const prefix = 'op' + Math.floor(this.random() * 36 ** 6).toString(36) + this.clock.now().toString(36);
    this.outbox = new Outbox(() => this.clock.now(), prefix, opts.giveUpMs ?? 30_000);
    this.claimKey = opts.claimFacilitator ?? false;
    const saved = loadSession(opts.storage, opts.roomId);
    this.session = {
      ...(saved ?? {}),
      name: opts.name,
      role: opts.role,
      facilitatorKey: opts.facilitatorKey ?? saved?.facilitatorKey,
    };
  }

  start(): void {
    this.stopped = false;
    this.unlistenTabs ??= this.opts.tabs?.channel.listen((m) => this.otherTab(m)) ?? null;
    this.connect();
    this.scheduleTick();
  }

  /** Closes the connection for good on this page (the participant stays in the room as away). */
  stop(): void {
    this.stopped = true;
    this.unlistenTabs?.();
    this.unlistenTabs = null;
    this.clearRetry();
    if (this.tickTimer !== null) this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = null;
    this.detach(1000, 'page closed');
  }

  /** Sends a command now if live, or keeps it until the next `welcome`. Returns its opId. */
  send(command: Command): string {
    if (this.status === 'ended') return '';
    const entry = this.outbox.add(command);
    if (command.type === 'vote' && this.room) {
      this.room = { ...this.room, myVote: command.value === null ? null : { value: command.value, flags: command.flags ?? [] } };
    } else if (command.type === 'prevote') {
      this.showPreVote(command.itemId, command.value === null ? null : { value: command.value, flags: command.flags ?? [] });
    }
    if (this.status === 'live' && this.welcomed) this.transmit(entry);
    this.emit();
    return entry.opId;
  }

  /** Leaves the room for good. */
  leave(): void {
    if (this.status === 'live') this.transmit(this.outbox.add({ type: 'leave' }));
    clearSession(this.opts.storage, this.opts.roomId);
    this.end('left');
    this.detach(1000, 'left');
  }

  /** The browser said the network is gone or back: treat as a drop, or retry at once. */
  networkChanged(online: boolean): void {
    if (this.stopped || this.status === 'ended') return;
    if (!online) {
      this.drop();
    } else if (this.status !== 'live') {
      this.clearRetry();
      this.attempt = 0;
      this.connect();
    }
  }

  /**
   * Asks the service for a fresh snapshot (the facilitator's agenda is computed only there): the
   * socket resumes without a version. The page stays live meanwhile; commands wait in the outbox.
   */
  refreshSnapshot(): void {
    if (this.stopped || this.status !== 'live' || !this.welcomed || !this.session.token) return;
    this.refreshing = true;
    this.detach(4000, 'snapshot');
    this.welcomed = false;
    this.connect();
  }

  /** Hides the hand-over notice. */
  dismissHandover(): void {
    this.handover = null;
    this.emit();
  }

  /** Forgets commands given up as not sent (after the person has seen the message). */
  dismissUnsent(): void {
    this.outbox.drop((e) => e.status === 'unsent');
    this.emit();
  }

  /** Re-queues given-up commands with their same opId (a "try again" button). */
  retryUnsent(): void {
    for (const e of this.outbox.all()) {
      if (e.status === 'unsent') {
        this.outbox.settle(e.opId);
        const again = this.outbox.add(e.command);
        if (this.status === 'live' && this.welcomed) this.transmit(again);
      }
    }
    this.emit();
  }

  view(): LiveView {
    return {
      status: this.status,
      endReason: this.endReason,
      joinError: this.joinError,
      deletedBy: this.deletedBy,
      you: this.you,
      room: this.room,
      epoch: this.epoch,
      version: this.version,
      pending: this.outbox.all().map((e) => ({ ...e })),
      clockOffset: this.clockOffset,
      handover: this.handover,
    };
  }

  // --- connection -------------------------------------------------------------------------

  private connect(): void {
    if (this.stopped || this.status === 'ended') return;
    this.detach(4000, 'reconnect');
    this.welcomed = false;
    this.bufferedSince = null;
    this.openedAt = this.clock.now();
    let ws: SocketLike;
    try {
      ws = this.opts.createSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.sendRaw(this.joinMessage());
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.receive(ev.data);
    };
    ws.onerror = () => {
      // A close event follows an error; the close decides.
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.closed(ev.code);
    };
  }

  private joinMessage(): JoinMessage {
    const s = this.session;
    const msg: JoinMessage = { type: 'join', name: s.name, role: s.role };
    if (s.token && s.epoch !== undefined) {
      // With a snapshot in memory the service may send only the missed events; without one
      // (a reload) the version is left out, which asks for a full snapshot.
      msg.resume =
        this.room && this.epoch === s.epoch && !this.refreshing
          ? { token: s.token, epoch: s.epoch, version: this.version }
          : { token: s.token, epoch: s.epoch };
      if (this.claimKey && s.facilitatorKey) msg.facilitatorKey = s.facilitatorKey;
    } else if (s.facilitatorKey) {
      // The key is sent only for a fresh join, so a resumed person who handed the role on keeps it handed on.
      msg.facilitatorKey = s.facilitatorKey;
    }
    return msg;
  }

  /**
   * Another tab of this browser took the participant over. A live tab waits for the server's 4409
   * (the server orders two resumes; whichever it took last stays); a tab still connecting or
   * reconnecting stops at once, so it never resumes over the newer tab.
   */
  private otherTab(m: TabMessage): void {
    if (m.type !== 'active' || m.tab === this.opts.tabs?.id) return;
    if (this.status === 'ended' || this.stopped || (this.status === 'live' && this.welcomed)) return;
    if (!this.session.token) return;
    this.clearRetry();
    this.end('elsewhere');
    this.detach(1000, 'moved to another tab');
  }

  private closed(code: number): void {
    this.welcomed = false;
    this.refreshing = false;
    if (this.status === 'ended' || this.stopped) return;
    if (code === 4404) {
      this.deleted(null);
    } else if (code === 4403) {
      // The token stays: presented again, it is refused while the facilitator keeps this person out.
      this.end('removed');
    } else if (code === 4409) {
      this.end('elsewhere');
    } else if (code === 1008) {
      this.end('protocol');
    } else {
      this.scheduleReconnect();
    }
  }

  /** Drops the current socket (if any) and schedules a reconnect: the page shows "reconnecting". */
  private drop(): void {
    this.detach(4000, 'dropped');
    this.welcomed = false;
    this.scheduleReconnect();
  }

  private resync(): void {
    this.detach(4000, 'resync');
    this.welcomed = false;
    this.status = 'reconnecting';
    this.emit();
    this.connect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.status === 'ended') return;
    this.refreshing = false;
    this.status = this.you ? 'reconnecting' : 'connecting';
    this.emit();
    this.clearRetry();
    const delay = backoffDelay(this.attempt, this.random, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    if (this.attempt >= 4 && this.opts.roomExists) {
      this.opts.roomExists().then(
        (exists) => {
          if (!exists && this.status !== 'live') {
            clearSession(this.opts.storage, this.opts.roomId);
            this.end('gone');
            this.detach(1000, 'gone');
          }
        },
        () => undefined,
      );
    }
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private detach(code: number, reason: string): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    try {
      if (ws.readyState === OPEN || ws.readyState === CONNECTING) ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** The room is gone for good, and so is this tab's place in it. */
  private deleted(by: 'you' | 'facilitator' | null): void {
    clearSession(this.opts.storage, this.opts.roomId);
    this.deletedBy = by;
    this.end('deleted');
    this.detach(1000, 'room deleted');
  }

  private end(reason: EndReason): void {
    this.status = 'ended';
    this.endReason = reason;
    this.clearRetry();
    this.emit();
  }

  /** Every second: give up old commands, and notice sockets that look stuck. */
  private scheduleTick(): void {
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = null;
      if (this.stopped) return;
      this.tick();
      this.scheduleTick();
    }, TICK_MS);
  }

  private tick(): void {
    const now = this.clock.now();
    const givenUp = this.outbox.expire();
    if (givenUp.length) {
      this.revertVoteIfGivenUp(givenUp);
      this.opts.onNotice?.({
        kind: 'error',
        code: 'not_sent',
        command: givenUp[0].command.type,
        message: givenUp.some((e) => e.command.type === 'vote') ? 'Your vote was not sent.' : 'A change was not sent.',
      });
      this.emit();
    }
    const ws = this.ws;
    if (!ws || this.status === 'ended') return;
    if (!this.welcomed && now - this.openedAt > CONNECT_TIMEOUT_MS) {
      this.drop();
      return;
    }
    if (ws.readyState === OPEN && ws.bufferedAmount > 0) {
      this.bufferedSince ??= now;
      if (now - this.bufferedSince > STUCK_MS) this.drop();
    } else {
      this.bufferedSince = null;
    }
  }

  // --- messages ---------------------------------------------------------------------------

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: { type?: unknown };
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'welcome':
        this.welcome(msg as Welcome);
        return;
      case 'ack':
        this.ack(msg as Ack);
        return;
      case 'error':
        this.error(msg as ErrorMessage);
        return;
      default:
        if ('version' in msg && 'epoch' in msg) this.event(msg as RoomEvent);
    }
  }

  private welcome(w: Welcome): void {
    if (!w.state && !(this.room && this.epoch === w.epoch && this.version >= w.version)) {
      // No snapshot and nothing current to build on: ask again, for a full snapshot this time.
      this.room = null;
      this.resync();
      return;
    }
    this.welcomed = true;
    this.refreshing = false;
    this.claimKey = false;
    // The welcome left the server a moment ago: the offset errs by the latency, well under a second.
    if (typeof w.serverTime === 'number') this.clockOffset = w.serverTime - this.clock.now();
    this.attempt = 0;
    this.status = 'live';
    this.joinError = null;
    this.you = w.you;
    this.epoch = w.epoch;
    if (w.state) {
      this.version = w.version;
      this.confirmedVote = w.state.myVote;
      this.confirmedPreVotes = { ...(w.state.myPreVotes ?? {}) };
      this.room = w.state;
    }
    // Otherwise a resume without snapshot: our state stands and the missed events follow.
    this.session = {
      ...this.session,
      name: w.you.name,
      role: w.you.role,
      participantId: w.you.id,
      token: w.token,
      epoch: w.epoch,
      version: this.version,
    };
    this.persist();
    if (this.opts.tabs) this.opts.tabs.channel.post({ type: 'active', tab: this.opts.tabs.id });
    // Resend what is still unanswered, with the same opIds, oldest first.
    for (const e of this.outbox.toSend()) {
      this.transmit(e);
      if (e.command.type === 'vote' && this.room) {
        const v = e.command.value;
        this.room = { ...this.room, myVote: v === null ? null : { value: v, flags: e.command.flags ?? [] } };
      } else if (e.command.type === 'prevote') {
        const v = e.command.value;
        this.showPreVote(e.command.itemId, v === null ? null : { value: v, flags: e.command.flags ?? [] });
      }
    }
    this.emit();
  }

  private event(ev: RoomEvent): void {
    if (!this.room || this.epoch === null || !this.welcomed) return;
    const verdict = checkSequence({ epoch: this.epoch, version: this.version }, ev);
    if (verdict === 'ignore') return;
    if (verdict === 'resync') {
      this.resync();
      return;
    }
    const before = this.room;
    this.room = applyEvent(this.room, ev, this.you?.id);
    this.version = ev.version;
    this.noteHandover(before, ev);
    this.followSelf(ev);
    // Ended by this event (left, removed, deleted): what it did to the saved session stands.
    if (this.status === 'ended') return;
    this.session.version = ev.version;
    this.persist();
    this.emit();
  }

  /** Keeps `you` in step with events about this participant. */
  private followSelf(ev: RoomEvent): void {
    const me = this.you;
    if (!me) return;
    if (ev.type === 'participant.updated' && ev.participant.id === me.id) {
      this.you = { ...me, name: ev.participant.name, role: ev.participant.role };
      this.session = { ...this.session, name: ev.participant.name, role: ev.participant.role };
    } else if (ev.type === 'facilitator.changed') {
      this.you = { ...me, facilitator: ev.participantId === me.id };
    } else if (ev.type === 'round.started') {
      // A round from pre-votes: ours became the round's hidden vote.
      this.confirmedVote = this.room?.myVote ?? null;
      if (ev.item) delete this.confirmedPreVotes[ev.item.id];
    } else if (ev.type === 'participant.left' && ev.facilitatorId === me.id) {
      this.you = { ...me, facilitator: true };
    } else if (ev.type === 'participant.left' && ev.participantId === me.id) {
      // A removed person's token is kept, so that a later join presents it (and is refused while kept out).
      if (ev.reason !== 'removed') clearSession(this.opts.storage, this.opts.roomId);
      this.end(ev.reason === 'removed' ? 'removed' : 'left');
      this.detach(1000, 'left');
    } else if (ev.type === 'room.deleted') {
      this.deleted(this.room?.facilitatorId === me.id ? 'you' : 'facilitator');
    }
  }

  private ack(a: Ack): void {
    const entry = this.outbox.settle(a.opId);
    if (!entry) return;
    if (entry.command.type === 'prevote') {
      const id = entry.command.itemId;
      const vote = a.vote ?? (entry.command.value === null ? null : { value: entry.command.value, flags: entry.command.flags ?? [] });
      if (vote && vote.value !== null) this.confirmedPreVotes[id] = vote;
      else delete this.confirmedPreVotes[id];
      if (!this.preVoteInFlight(id)) this.showPreVote(id, this.confirmedPreVotes[id] ?? null);
    }
    if (entry.command.type === 'vote' && this.room) {
      const vote = a.vote ?? (entry.command.value === null ? null : { value: entry.command.value, flags: entry.command.flags ?? [] });
      this.confirmedVote = vote && vote.value !== null ? vote : null;
      // A later vote still in flight wins over this one on screen.
      if (!this.outbox.all().some((e) => e.command.type === 'vote')) {
        this.room = { ...this.room, myVote: this.confirmedVote };
      }
    }
    this.emit();
  }

  private error(e: ErrorMessage): void {
    if (e.code === 'room_deleted') {
      this.deleted(null);
      return;
    }
    if (!this.welcomed && !e.opId && e.code === 'removed' && this.you) {
      // Removed while this page was reconnecting: the same end as being removed while connected.
      this.end('removed');
      this.detach(1000, 'removed');
      return;
    }
    if (!this.welcomed && !e.opId) {
      // The join itself was refused: no point retrying the same join.
      if (e.code === 'invalid_key') this.session = { ...this.session, facilitatorKey: undefined };
      this.joinError = { code: e.code, message: e.message };
      this.end('join_failed');
      this.detach(1000, 'join failed');
      return;
    }
    const entry = e.opId ? this.outbox.settle(e.opId) : undefined;
    if (entry?.command.type === 'vote' && this.room && !this.outbox.all().some((x) => x.command.type === 'vote')) {
      this.room = { ...this.room, myVote: this.confirmedVote };
    }
    if (entry?.command.type === 'prevote' && !this.preVoteInFlight(entry.command.itemId)) {
      this.showPreVote(entry.command.itemId, this.confirmedPreVotes[entry.command.itemId] ?? null);
    }
    this.opts.onNotice?.({ kind: 'error', code: e.code, message: e.message, command: entry?.command.type });
    this.emit();
  }

  private preVoteInFlight(itemId: string): boolean {
    return this.outbox.all().some((e) => e.command.type === 'prevote' && e.command.itemId === itemId && e.status !== 'unsent');
  }

  /** Shows a pre-vote on this page (null: none) before or after the service answers. */
  private showPreVote(itemId: string, vote: MyVote | null): void {
    if (!this.room) return;
    const mine = { ...(this.room.myPreVotes ?? {}) };
    if (vote && vote.value !== null) mine[itemId] = vote;
    else delete mine[itemId];
    this.room = { ...this.room, myPreVotes: mine };
  }

  /**
   * The room is told when the facilitator role changes hands without being handed on: an away
   * facilitator's grace period passed (the role went to the longest-present participant), or
   * someone took it with the key.
   */
  private noteHandover(before: RoomState, ev: RoomEvent): void {
    const name = (id: string | null | undefined) => (id ? (before.participants.find((p) => p.id === id)?.name ?? null) : null);
    const toName = (id: string) => this.room?.participants.find((p) => p.id === id)?.name ?? name(id);
    if (ev.type === 'participant.left' && ev.reason === 'expired' && ev.facilitatorId) {
      this.handover = { reason: 'expired', fromName: name(ev.participantId), toId: ev.facilitatorId, toName: toName(ev.facilitatorId), version: ev.version };
    } else if (ev.type === 'facilitator.changed' && ev.reason === 'claim' && before.facilitatorId !== ev.participantId) {
      this.handover = { reason: 'claim', fromName: name(before.facilitatorId), toId: ev.participantId, toName: toName(ev.participantId), version: ev.version };
    } else if (ev.type === 'facilitator.changed') {
      this.handover = null;
    }
  }

  private revertVoteIfGivenUp(givenUp: OutboxEntry[]): void {
    for (const e of givenUp) {
      if (e.command.type === 'prevote' && !this.preVoteInFlight(e.command.itemId)) {
        this.showPreVote(e.command.itemId, this.confirmedPreVotes[e.command.itemId] ?? null);
      }
    }
    if (!this.room || !givenUp.some((e) => e.command.type === 'vote')) return;
    const stillTrying = this.outbox.all().some((e) => e.command.type === 'vote' && e.status !== 'unsent');
    if (!stillTrying) this.room = { ...this.room, myVote: this.confirmedVote };
  }

  private transmit(entry: OutboxEntry): void {
    if (this.sendRaw({ ...entry.command, opId: entry.opId })) this.outbox.markSent(entry.opId);
  }

  private sendRaw(msg: object): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(msg));
      return true;
    } catch {
      return false;
    }
  }

  private persist(): void {
    saveSession(this.opts.storage, this.opts.roomId, this.session);
  }

  private emit(): void {
    this.opts.onChange?.(this.view());
  }
}

/** The WebSocket URL of a room, from the page's own location (ws: for http, wss: for https). */
export function roomSocketUrl(loc: { protocol: string; host: string }, roomId: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/rooms/${encodeURIComponent(roomId)}`;
}

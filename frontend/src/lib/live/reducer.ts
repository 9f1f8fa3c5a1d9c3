import type { Item, ItemSummary, KeptOut, MyVote, Participant, RoomEvent, RoomState, Round } from '../api/types';

const MAX_QUICK_ROUNDS = 20;
/** As many removals as the service remembers per room. */
const MAX_KEPT_OUT = 100;

/**
 * Applies one room event to a snapshot and returns the new snapshot (the input is not changed).
 * `selfId` is this client's participant id: it is needed to clear our own hidden vote.
 * Unknown event types leave the state as it is, so a newer server does not break an older page.
 */
export function applyEvent(state: RoomState, event: RoomEvent, selfId?: string): RoomState {
  const next = applyChange(state, event, selfId);
  // Events that can change the runway carry the new one.
  return event.runway ? { ...next, runway: event.runway } : next;
}

function applyChange(state: RoomState, event: RoomEvent, selfId?: string): RoomState {
  switch (event.type) {
    case 'participant.joined':
    case 'participant.updated':
      return { ...state, participants: upsert(state.participants, event.participant) };
    case 'participant.presence':
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.participantId ? { ...p, online: event.online } : p,
        ),
      };
    case 'participant.left':
      return {
        ...state,
        // A facilitator away past the grace period hands the role to the longest-present participant.
        facilitatorId: event.facilitatorId ?? (state.facilitatorId === event.participantId ? null : state.facilitatorId),
        scribeId: state.scribeId === event.participantId ? null : (state.scribeId ?? null),
        participants: state.participants.filter((p) => p.id !== event.participantId),
        round:
          state.round && !state.round.revealed
            ? { ...state.round, voted: state.round.voted.filter((id) => id !== event.participantId) }
            : state.round,
        myVote: event.participantId === selfId ? null : state.myVote,
        keptOut: event.keptOut ? addKeptOut(state.keptOut, event.keptOut) : state.keptOut,
      };
    case 'participant.readmitted':
      return { ...state, keptOut: state.keptOut.filter((k) => k.participantId !== event.participantId) };
    case 'facilitator.changed':
      // The agenda is the facilitator's alone: a new one gets it with their next snapshot.
      return { ...state, facilitatorId: event.participantId, agenda: event.participantId === selfId ? (state.agenda ?? null) : null };
    case 'scribe.changed':
      return { ...state, scribeId: event.participantId };
    case 'prevote.cast':
    case 'prevote.withdrawn':
      return {
        ...state,
        items: state.items.map((i) => (i.id === event.itemId ? { ...i, preVoteCount: event.preVoteCount } : i)),
        // Withdrawn from another tab of ours: ours is gone. (A cast elsewhere does not say the value.)
        myPreVotes:
          event.type === 'prevote.withdrawn' && event.participantId === selfId
            ? withoutKey(state.myPreVotes ?? {}, event.itemId)
            : state.myPreVotes,
      };
    case 'note.added':
      return {
        ...state,
        items: state.items.map((i) =>
          i.id === event.itemId ? { ...i, notes: [...(i.notes ?? []).filter((n) => n.number !== event.note.number), event.note] } : i,
        ),
      };
    case 'timebox.started':
      return { ...state, timebox: event.timebox };
    case 'timebox.stopped':
      return { ...state, timebox: null };
    case 'settings.changed':
      return {
        ...state,
        settings: { ...state.settings, ...event.settings },
        agenda: event.settings.preVoting === false ? null : state.agenda,
        // The service evaluates the checklist: each item's readiness comes with the event.
        items: event.itemReadiness
          ? state.items.map((i) => (event.itemReadiness?.[i.id] ? { ...i, readiness: event.itemReadiness[i.id] } : i))
          : state.items,
      };
    case 'item.added':
    case 'item.updated':
    case 'item.estimated':
      return { ...state, items: mergeItem(state.items, event.item) };
    case 'item.removed':
      return {
        ...state,
        items: state.items.filter((i) => i.id !== event.itemId),
        myPreVotes: state.myPreVotes ? withoutKey(state.myPreVotes, event.itemId) : state.myPreVotes,
      };
    case 'item.split': {
      let items = mergeItem(state.items, event.item);
      for (const child of event.children) items = mergeItem(items, child);
      // A split drops the parent's pre-votes.
      return {
        ...state,
        items: inOrder(items, event.order),
        myPreVotes: state.myPreVotes ? withoutKey(state.myPreVotes, event.item.id) : state.myPreVotes,
      };
    }
    case 'item.moved':
      return {
        ...state,
        items: event.order ? inOrder(state.items, event.order) : moveTo(state.items, event.itemId, event.toIndex),
      };
    case 'round.started': {
      // The item that was being voted on stops being the current one.
      const items = state.items.map((i) =>
        i.status === 'voting' && i.id !== event.item?.id
          ? { ...i, status: i.estimate !== null ? ('estimated' as const) : ('pending' as const) }
          : i,
      );
      // A round on an item starts from its pre-votes: ours, if the round lists us, is our hidden vote now.
      const itemId = event.item?.id;
      const adopted = itemId && selfId && event.round.voted.includes(selfId) ? (state.myPreVotes?.[itemId] ?? null) : null;
      return {
        ...state,
        items: event.item ? mergeItem(items, event.item) : items,
        round: event.round,
        myVote: adopted,
        myPreVotes: itemId && state.myPreVotes ? withoutKey(state.myPreVotes, itemId) : state.myPreVotes,
      };
    }
    case 'vote.cast':
      if (!state.round || state.round.revealed || state.round.voted.includes(event.participantId)) return state;
      return { ...state, round: { ...state.round, voted: [...state.round.voted, event.participantId] } };
    case 'vote.withdrawn':
      if (!state.round) return state;
      return {
        ...state,
        round: { ...state.round, voted: state.round.voted.filter((id) => id !== event.participantId) },
        myVote: event.participantId === selfId ? null : state.myVote,
      };
    case 'round.revealed':
      return {
        ...state,
        round: event.round,
        items: event.item ? mergeItem(state.items, event.item, event.round) : state.items,
        quickRounds: event.item ? state.quickRounds : addQuickRound(state.quickRounds, event.round),
      };
    case 'room.deleted':
      // The room's last event: the live client ends the session on it, so there is nothing to change.
      return state;
    default:
      return state;
  }
}

/** The removed people still kept out at `now` (ms since the epoch): an entry whose time has passed is not. */
export function keptOutAt(keptOut: KeptOut[], now: number): KeptOut[] {
  return keptOut.filter((k) => {
    const until = Date.parse(k.until);
    return Number.isFinite(until) && until > now;
  });
}

/** The items in the service's backlog order; any the order does not name keep their place at the end. */
export function inOrder(items: Item[], order: string[]): Item[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const ordered = order.flatMap((id) => {
    const item = byId.get(id);
    byId.delete(id);
    return item ? [item] : [];
  });
  return [...ordered, ...items.filter((i) => byId.has(i.id))];
}

function moveTo(items: Item[], itemId: string, toIndex: number): Item[] {
  const item = items.find((i) => i.id === itemId);
  if (!item) return items;
  const rest = items.filter((i) => i !== item);
  rest.splice(Math.max(0, Math.min(toIndex, rest.length)), 0, item);
  return rest;
}

/**
 * An item event carries the item without its rounds and notes: those this page knows stay, and a
 * revealed round joins them.
 */
function mergeItem(items: Item[], next: ItemSummary, revealed?: Round): Item[] {
  const before = items.find((i) => i.id === next.id);
  const known = before?.rounds ?? [];
  const rounds = revealed ? [...known.filter((r) => r.number !== revealed.number), revealed] : known;
  return upsert(items, { ...next, rounds, notes: before?.notes ?? [] });
}

function withoutKey(map: Record<string, MyVote>, key: string): Record<string, MyVote> {
  if (!(key in map)) return map;
  const copy = { ...map };
  delete copy[key];
  return copy;
}

function upsert<T extends Participant | Item>(list: T[], next: T): T[] {
  const i = list.findIndex((x) => x.id === next.id);
  if (i < 0) return [...list, next];
  const copy = list.slice();
  copy[i] = next;
  return copy;
}

function addKeptOut(list: KeptOut[], added: KeptOut): KeptOut[] {
  const rest = list.filter((k) => k.participantId !== added.participantId);
  return [...rest, added].slice(-MAX_KEPT_OUT);
}

function addQuickRound(list: Round[], round: Round): Round[] {
  const rest = list.filter((r) => r.number !== round.number);
  return [...rest, round].slice(-MAX_QUICK_ROUNDS);
}

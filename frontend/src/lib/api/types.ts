// Wire types of docs/protocol.md (REST and WebSocket). Field names follow the protocol exactly.

export interface Deck {
  id?: string;
  name?: string;
  cards: string[];
}

export interface CreateRoomRequest {
  name: string;
  deck: string | { cards: string[] };
  autoReveal?: boolean;
}

export interface CreatedRoom {
  id: string;
  name: string;
  deck: Deck;
  facilitatorKey: string;
  joinUrl: string;
}

export interface RoomSummary {
  id: string;
  name: string;
  deck: Deck;
  participants: number;
  items: number;
  version: number;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export type Role = 'voter' | 'observer';
export const FLAGS = ['scope', 'acceptance', 'dependency', 'risk', 'too-big'] as const;
export type Flag = (typeof FLAGS)[number];

export interface Participant {
  id: string;
  name: string;
  role: Role;
  online: boolean;
}

/** A check of the room's Ready-for-Sprint checklist, in this order; switched-off checks are left out. */
export const CHECK_IDS = ['definition', 'value', 'size', 'risks'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface ReadinessCheck {
  id: CheckId;
  ok: boolean;
  /** Miss codes: `title`, `acceptance`, `value`, `estimate`, `above-max`, `too-big`, `flag:<name>`. */
  missing: string[];
}

/** The room's checklist evaluated on an item by the service (never by a client). */
export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
  /** Every check's misses in one list. */
  missing: string[];
}

/** Which checks are on, and the largest estimate card that fits in a sprint. */
export interface ChecklistSettings {
  definition: boolean;
  value: boolean;
  size: boolean;
  risks: boolean;
  maxEstimate: string | null;
}

export interface Settings {
  autoReveal: boolean;
  /** Whether voters may pre-vote on pending items before the meeting. */
  preVoting?: boolean;
  readiness: ChecklistSettings;
  /** The team's points per sprint, or null. */
  velocity: number | null;
}

/** The sprint-ready work over the items that are not split, against the 3-5-3 targets. */
export interface Runway {
  readyItems: number;
  readyPoints: number;
  /** readyPoints / velocity, or null without a velocity. */
  sprints: number | null;
  oversized: number;
  targets: { sprints: number; readyItems: number };
}

export interface Vote {
  participantId: string;
  name: string;
  value: string;
  flags: string[];
}

export interface Stats {
  votes: number;
  numericVotes: number;
  average: number | null;
  median: number | null;
  min: string | null;
  max: string | null;
  distribution: { value: string; count: number }[];
  consensus: boolean;
  spread: number | null;
  suggestion: string | null;
  outliers: { low: string[]; high: string[] };
  flags: Record<string, number>;
}

export interface Round {
  number: number;
  itemId: string | null;
  revealed: boolean;
  voted: string[];
  votes: Vote[] | null;
  stats: Stats | null;
}

export interface Item {
  id: string;
  title: string;
  description: string | null;
  acceptanceCriteria: string | null;
  reference: string | null;
  /** Why the item matters (problem, user, outcome, success signal); "" when not given. */
  value: string;
  dependencies: string;
  /** The item this one was split from, or null. */
  parentId: string | null;
  estimate: string | null;
  status: ItemStatus;
  /** The last revealed rounds this page knows, oldest first: a snapshot sends the last 3. */
  rounds: Round[];
  /** How many revealed rounds the item has in all (GET /api/rooms/{id}/items/{itemId}/rounds has them). */
  roundCount: number;
  /** Unknowns raised in any revealed round and not resolved since. */
  openFlags: string[];
  resolvedFlags: string[];
  /** The latest resolution of each raised unknown, with the facilitator's note (or null). */
  resolutions: Resolution[];
  readiness: Readiness;
  /** How many pre-votes the item holds (never whose values). */
  preVoteCount?: number;
  /** The notes written on the item, oldest first (a snapshot has them; item events do not). */
  notes?: Note[];
}

/** A note on an item: the rationale of an estimate, or a decision, kept with a round. */
export interface Note {
  number: number;
  /** The round it belongs to, or null before any. */
  round: number | null;
  author: string;
  text: string;
}

/** The running discussion timer, on the server clock (epoch ms). */
export interface Timebox {
  startedAt: number;
  endsAt: number;
  minutes: number;
}

/** The facilitator's agenda: pending item ids grouped by what their pre-votes say, most discussion first. */
export interface Agenda {
  diverge: string[];
  flags: string[];
  few: string[];
  close: string[];
  consensus: string[];
}

export type ItemStatus = 'pending' | 'voting' | 'estimated' | 'split';

export interface Resolution {
  flag: string;
  note: string | null;
}

/** An item as an event carries it: everything but its rounds, so an event never grows with history. */
export type ItemSummary = Omit<Item, 'rounds' | 'notes'>;

export interface MyVote {
  value: string | null;
  flags: string[];
}

/** Someone the facilitator removed, whose token is refused until `until` (ISO-8601) unless let back in. */
export interface KeptOut {
  participantId: string;
  name: string;
  until: string;
}

export interface RoomState {
  id: string;
  name: string;
  deck: Deck;
  settings: Settings;
  facilitatorId: string | null;
  participants: Participant[];
  items: Item[];
  round: Round | null;
  myVote: MyVote | null;
  quickRounds: Round[];
  /** The removed people kept out, newest last; may include some whose `until` has passed. */
  keptOut: KeptOut[];
  runway: Runway;
  /** Who the facilitator named to write notes, or null. */
  scribeId?: string | null;
  /** The running discussion timer, or null. */
  timebox?: Timebox | null;
  /** This participant's own pre-votes by item id. */
  myPreVotes?: Record<string, MyVote>;
  /** For the facilitator only, while pre-voting is on; computed when the snapshot was written. */
  agenda?: Agenda | null;
}

export interface You {
  id: string;
  name: string;
  role: Role;
  facilitator: boolean;
}

export interface Welcome {
  type: 'welcome';
  you: You;
  token: string;
  epoch: string;
  version: number;
  /** The server clock (epoch ms) when the welcome was written. */
  serverTime?: number;
  /** Null when a resume continues from the client's own state: the missed events follow. */
  state: RoomState | null;
}

interface EventBase {
  epoch: string;
  version: number;
  /** The new runway, on every event that can change it (settings, items, reveals). */
  runway?: Runway;
}

export type RoomEvent = EventBase &
  (
    | { type: 'participant.joined'; participant: Participant }
    | { type: 'participant.updated'; participant: Participant }
    | { type: 'participant.presence'; participantId: string; online: boolean }
    | {
        type: 'participant.left';
        participantId: string;
        reason: 'left' | 'removed' | 'expired';
        /** With reason `removed`: the removed person's token stays out until then. */
        keptOut?: KeptOut;
        /** The new facilitator, when the one who left was a facilitator away past the grace period. */
        facilitatorId?: string;
      }
    | { type: 'participant.readmitted'; participantId: string }
    | { type: 'facilitator.changed'; participantId: string; reason?: 'transfer' | 'claim' }
    | { type: 'scribe.changed'; participantId: string | null }
    | { type: 'prevote.cast'; itemId: string; participantId: string; preVoteCount: number }
    | { type: 'prevote.withdrawn'; itemId: string; participantId: string; preVoteCount: number }
    | { type: 'note.added'; itemId: string; note: Note }
    | { type: 'timebox.started'; timebox: Timebox }
    | { type: 'timebox.stopped' }
    | { type: 'settings.changed'; settings: Settings; itemReadiness?: Record<string, Readiness> }
    | { type: 'item.added'; item: ItemSummary }
    | { type: 'item.updated'; item: ItemSummary }
    | { type: 'item.removed'; itemId: string }
    | { type: 'item.split'; item: ItemSummary; children: ItemSummary[]; order: string[] }
    | { type: 'item.moved'; itemId: string; toIndex: number; order?: string[] }
    | { type: 'round.started'; round: Round; item: ItemSummary | null }
    | { type: 'vote.cast'; participantId: string }
    | { type: 'vote.withdrawn'; participantId: string }
    | { type: 'round.revealed'; round: Round; item: ItemSummary | null }
    | { type: 'item.estimated'; item: ItemSummary }
    | { type: 'room.deleted' }
  );

export interface Ack {
  type: 'ack';
  opId: string;
  version: number;
  vote?: MyVote;
}

export interface ErrorMessage {
  type: 'error';
  opId?: string;
  code: string;
  message: string;
}

/** Commands after `join`; the live client adds the `opId`. */
export type Command =
  | { type: 'vote'; value: string | null; flags?: string[] }
  | { type: 'prevote'; itemId: string; value: string | null; flags?: string[] }
  | { type: 'item.note'; itemId: string; text: string }
  | { type: 'participant.scribe'; participantId: string | null }
  | { type: 'timebox.start'; minutes: number }
  | { type: 'timebox.stop' }
  | { type: 'facilitator.claim'; facilitatorKey: string }
  | { type: 'reveal' }
  | { type: 'revote' }
  | { type: 'round.quick' }
  | {
      type: 'item.add';
      title: string;
      description?: string;
      acceptanceCriteria?: string;
      reference?: string;
      value?: string;
      dependencies?: string;
    }
  | {
      type: 'item.update';
      itemId: string;
      title?: string;
      description?: string;
      acceptanceCriteria?: string;
      reference?: string;
      value?: string;
      dependencies?: string;
    }
  | { type: 'item.split'; itemId: string; children: SplitChild[] }
  | { type: 'item.move'; itemId: string; toIndex: number }
  | { type: 'item.remove'; itemId: string }
  | { type: 'item.select'; itemId: string }
  | { type: 'item.estimate'; itemId: string; value: string | null }
  | { type: 'item.flag.resolve'; itemId: string; flag: string; note?: string }
  | {
      type: 'settings.update';
      autoReveal?: boolean;
      preVoting?: boolean;
      readiness?: Partial<ChecklistSettings>;
      /** null clears it. */
      velocity?: number | null;
    }
  | { type: 'facilitator.transfer'; participantId: string }
  | { type: 'participant.remove'; participantId: string }
  | { type: 'participant.readmit'; participantId: string }
  | { type: 'room.delete' }
  | { type: 'participant.update'; name?: string; role?: Role }
  | { type: 'leave' };

/** One part of an `item.split` (2 to 10 of them). */
export interface SplitChild {
  title: string;
  description?: string;
  acceptanceCriteria?: string;
  value?: string;
}

export interface JoinMessage {
  type: 'join';
  name: string;
  role: Role;
  facilitatorKey?: string;
  resume?: { token: string; epoch: string; version?: number };
}

/** An item as an import reads it (`?dryRun=true` answers these, in file order). */
export interface ImportedItem {
  title: string;
  description: string;
  acceptanceCriteria: string;
  reference: string | null;
}

export interface ImportPreview {
  dryRun: true;
  count: number;
  items: ImportedItem[];
}

export interface ImportResult {
  imported: number;
  items: { id: string; title: string }[];
}

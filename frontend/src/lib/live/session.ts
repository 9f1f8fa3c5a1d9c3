import type { Role } from '../api/types';

/**
 * What a browser remembers about its person in one room, so a reload, or another tab of the same
 * browser, is the same participant.
 */
export interface SavedSession {
  name: string;
  role: Role;
  participantId?: string;
  token?: string;
  epoch?: string;
  version?: number;
  facilitatorKey?: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const key = (roomId: string) => `readyroom:${roomId}`;

export function loadSession(store: KeyValueStore | undefined, roomId: string): SavedSession | null {
  if (!store) return null;
  try {
    const raw = store.getItem(key(roomId));
    if (!raw) return null;
    const s = JSON.parse(raw) as SavedSession;
    return typeof s?.name === 'string' && (s.role === 'voter' || s.role === 'observer') ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(store: KeyValueStore | undefined, roomId: string, s: SavedSession): void {
  try {
    store?.setItem(key(roomId), JSON.stringify(s));
  } catch {
    // Storage full or disabled: the session still works, only a reload forgets it.
  }
}

export function clearSession(store: KeyValueStore | undefined, roomId: string): void {
  try {
    store?.removeItem(key(roomId));
  } catch {
    // ignore
  }
}

/**
 * The browser's localStorage: shared by its tabs, so a second tab resumes the same participant
 * instead of becoming a second one (whose "away" copy would hold auto-reveal for the grace period).
 */
export function browserRoomStorage(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/**
 * What the tabs of one browser tell each other about a room: this tab was welcomed and holds the
 * participant's connection now (a join page in another tab can then offer to continue as them).
 */
export type TabMessage = { type: 'active'; tab: string };

export interface TabChannel {
  post(msg: TabMessage): void;
  /** Calls back for every message of another tab; returns the unsubscribe. */
  listen(cb: (msg: TabMessage) => void): () => void;
  close(): void;
}

/** A BroadcastChannel per room (none where the browser has none: tabs then rely on the server's 4409). */
export function browserTabChannel(roomId: string): TabChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(`readyroom:${roomId}`);
  return {
    post: (msg) => channel.postMessage(msg),
    listen: (cb) => {
      const handler = (e: MessageEvent) => {
        const m = e.data as TabMessage;
        if (m && m.type === 'active' && typeof m.tab === 'string') cb(m);
      };
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    close: () => channel.close(),
  };
}

/** An id for this tab, so it can tell its own messages from another tab's. */
export function newTabId(): string {
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

import type { Role } from '../api/types';

/** What a tab remembers about its person in one room, so a reload is the same participant. */
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

export function browserSessionStorage(): KeyValueStore | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

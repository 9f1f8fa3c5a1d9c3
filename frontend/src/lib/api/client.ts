import type { CreateRoomRequest, CreatedRoom, Deck, RoomSummary, Round } from './types';

/** A REST failure with the service's stable `code` and a message fit to show to a person. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Fetch = typeof fetch;

export interface Api {
  decks(): Promise<Deck[]>;
  createRoom(req: CreateRoomRequest): Promise<CreatedRoom>;
  room(id: string): Promise<RoomSummary>;
  /** Every revealed round of an item, oldest first (a snapshot has only the last 3). */
  itemRounds(roomId: string, itemId: string): Promise<Round[]>;
}

/** All REST calls of the app; `fetchImpl` is injectable for tests. Paths are relative to the page's origin. */
export function createApi(fetchImpl: Fetch = (...a) => fetch(...a), base = ''): Api {
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(base + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
      });
    } catch {
      throw new ApiError('network', 'The service cannot be reached. Check your connection and try again.', 0);
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!res.ok) {
      if (isErrorBody(body)) throw new ApiError(body.code, body.message, res.status);
      throw new ApiError(fallbackCode(res.status), fallbackMessage(res.status), res.status);
    }
    if (body === null) throw new ApiError('bad_response', 'The service sent an unexpected answer.', res.status);
    return body as T;
  }

  return {
    decks: () => call<Deck[]>('/api/decks'),
    createRoom: (req) => call<CreatedRoom>('/api/rooms', { method: 'POST', body: JSON.stringify(req) }),
    room: (id) => call<RoomSummary>(`/api/rooms/${encodeURIComponent(id)}`),
    itemRounds: (roomId, itemId) =>
      call<Round[]>(`/api/rooms/${encodeURIComponent(roomId)}/items/${encodeURIComponent(itemId)}/rounds`),
  };
}

function isErrorBody(b: unknown): b is { code: string; message: string } {
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof (b as Record<string, unknown>).code === 'string' &&
    typeof (b as Record<string, unknown>).message === 'string'
  );
}

function fallbackCode(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'http_' + status;
}

function fallbackMessage(status: number): string {
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'The service is unavailable right now. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

export const api = createApi();

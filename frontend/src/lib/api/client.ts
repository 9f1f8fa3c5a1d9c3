import type { CreateRoomRequest, CreatedRoom, Deck, ImportPreview, ImportResult, RoomSummary, Round } from './types';

/** Who may read a room's export: its facilitator (the key) or someone in the room now (their token). */
export type ExportAuth = { facilitatorKey: string } | { token: string };
export type ExportFormat = 'csv' | 'json' | 'md';

/** A REST failure with the service's stable `code` and a message fit to show to a person. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Where a refused import failed: the file's line (from 1, the header) and column. */
    readonly line?: number,
    readonly column?: string | null,
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
  /** Checks an import and answers what it would add, adding nothing (`?dryRun=true`). */
  previewImport(roomId: string, facilitatorKey: string, body: string, kind: 'csv' | 'text'): Promise<ImportPreview>;
  importItems(roomId: string, facilitatorKey: string, body: string, kind: 'csv' | 'text'): Promise<ImportResult>;
  /** The room's record as a file: its bytes and the name the service gives it. */
  exportRoom(roomId: string, format: ExportFormat, auth: ExportAuth): Promise<{ blob: Blob; filename: string }>;
}

/** All REST calls of the app; `fetchImpl` is injectable for tests. Paths are relative to the page's origin. */
export function createApi(fetchImpl: Fetch = (...a) => fetch(...a), base = ''): Api {
  async function send(path: string, init?: RequestInit, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetchImpl(base + path, {
        ...init,
        headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      });
    } catch {
      throw new ApiError('network', 'The service cannot be reached. Check your connection and try again.', 0);
    }
  }

  async function call<T>(path: string, init?: RequestInit, headers?: Record<string, string>): Promise<T> {
    const res = await send(path, init, headers);
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
      if (isErrorBody(body)) {
        const b = body as { line?: unknown; column?: unknown };
        throw new ApiError(body.code, body.message, res.status, typeof b.line === 'number' ? b.line : undefined,
          typeof b.column === 'string' ? b.column : null);
      }
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
    previewImport: (roomId, key, body, kind) => importCall<ImportPreview>(roomId, key, body, kind, true),
    importItems: (roomId, key, body, kind) => importCall<ImportResult>(roomId, key, body, kind, false),
    exportRoom: async (roomId, format, auth) => {
      const headers: Record<string, string> =
        'facilitatorKey' in auth ? { 'X-Facilitator-Key': auth.facilitatorKey } : { 'X-Participant-Token': auth.token };
      const path = `/api/rooms/${encodeURIComponent(roomId)}/export?format=${format}`;
      const res = await send(path, undefined, { ...headers, Accept: '*/*' });
      if (!res.ok) {
        throw errorOf(res.status, await res.text().catch(() => ''));
      }
      const blob = await res.blob();
      return { blob, filename: filenameOf(res.headers.get('Content-Disposition')) ?? `ready-room.${format}` };
    },
  };

  function importCall<T>(roomId: string, key: string, body: string, kind: 'csv' | 'text', dryRun: boolean): Promise<T> {
    const path = `/api/rooms/${encodeURIComponent(roomId)}/items/import${dryRun ? '?dryRun=true' : ''}`;
    return call<T>(path, { method: 'POST', body }, {
      'Content-Type': kind === 'csv' ? 'text/csv; charset=UTF-8' : 'text/plain; charset=UTF-8',
      'X-Facilitator-Key': key,
    });
  }
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

function errorOf(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text);
    if (isErrorBody(body)) return new ApiError(body.code, body.message, status);
  } catch {
    // not JSON: the generic message below
  }
  return new ApiError(fallbackCode(status), fallbackMessage(status), status);
}

/** The file name of `Content-Disposition: attachment; filename="…"` (or RFC 5987 `filename*`). */
export function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"((?:[^"\\]|\\.)*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  if (!plain) return null;
  return (plain[1] ?? plain[2]).replace(/\\(.)/g, '$1').trim() || null;
}

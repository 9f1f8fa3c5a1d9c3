import { describe, expect, it } from 'vitest';
import { ApiError, createApi, filenameOf } from './client';

function respond(status: number, body: unknown, raw = false) {
  return async () => new Response(raw ? (body as string) : JSON.stringify(body), { status });
}

describe('REST client', () => {
  it('returns the parsed body on success and posts JSON', async () => {
    let seen: { url: string; init?: RequestInit } | null = null;
    const api = createApi(async (url, init) => {
      seen = { url: String(url), init };
      return new Response(JSON.stringify({ id: 'r1', facilitatorKey: 'k' }), { status: 201 });
    });
    const created = await api.createRoom({ name: 'A', deck: 'fibonacci' });
    expect(created.id).toBe('r1');
    expect(seen!.url).toBe('/api/rooms');
    expect(seen!.init?.method).toBe('POST');
    expect(JSON.parse(String(seen!.init?.body))).toEqual({ name: 'A', deck: 'fibonacci' });
  });

  it('surfaces the service error code and message', async () => {
    const api = createApi(respond(400, { code: 'invalid_name', message: 'A room name must be 1 to 80 characters.' }));
    const err = await api.createRoom({ name: '', deck: 'fibonacci' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid_name', message: 'A room name must be 1 to 80 characters.', status: 400 });
  });

  it('maps a 404 without a body to not_found', async () => {
    const err = await createApi(respond(404, '', true)).room('zzz').catch((e) => e);
    expect(err).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('maps a 502 with an HTML body to unavailable', async () => {
    const err = await createApi(respond(502, '<html>bad gateway</html>', true)).decks().catch((e) => e);
    expect(err).toMatchObject({ code: 'unavailable', status: 502 });
    expect(err.message).not.toContain('<html>');
  });

  it('maps a network failure to a readable error', async () => {
    const err = await createApi(async () => {
      throw new TypeError('Failed to fetch');
    })
      .decks()
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'network', status: 0 });
  });

  it('rejects a success with an unparseable body', async () => {
    const err = await createApi(respond(200, 'not json', true)).decks().catch((e) => e);
    expect(err).toMatchObject({ code: 'bad_response' });
  });

  it('encodes the room id in the path', async () => {
    let url = '';
    await createApi(async (u) => {
      url = String(u);
      return new Response('{"id":"a/b"}', { status: 200 });
    }).room('a/b');
    expect(url).toBe('/api/rooms/a%2Fb');
  });

  it('previews an import with the key in a header, never the URL, and names the failing line', async () => {
    let seen: { url: string; init?: RequestInit } | null = null;
    const api = createApi(async (url, init) => {
      seen = { url: String(url), init };
      return new Response(JSON.stringify({ code: 'invalid_import', message: 'Line 3, column 2 (Summary): A title…', line: 3, column: '2 (Summary)' }), { status: 400 });
    });
    const err = await api.previewImport('r1', 'secret-key', 'Key,Summary\n', 'csv').catch((e) => e);
    expect(seen!.url).toBe('/api/rooms/r1/items/import?dryRun=true');
    expect(seen!.url).not.toContain('secret-key');
    const headers = seen!.init?.headers as Record<string, string>;
    expect(headers['X-Facilitator-Key']).toBe('secret-key');
    expect(headers['Content-Type']).toBe('text/csv; charset=UTF-8');
    expect(err).toMatchObject({ code: 'invalid_import', line: 3, column: '2 (Summary)' });
  });

  it('downloads an export with the token in a header and the file name the service gives', async () => {
    let headers: Record<string, string> = {};
    const api = createApi(async (_url, init) => {
      headers = init?.headers as Record<string, string>;
      return new Response('# Summary', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="Team-Falcon.md"' } });
    });
    const file = await api.exportRoom('r1', 'md', { token: 'tok' });
    expect(headers['X-Participant-Token']).toBe('tok');
    expect(file.filename).toBe('Team-Falcon.md');
    expect(await file.blob.text()).toBe('# Summary');
  });

  it('reads plain and RFC 5987 file names', () => {
    expect(filenameOf('attachment; filename="a b.csv"')).toBe('a b.csv');
    expect(filenameOf("attachment; filename*=UTF-8''caf%C3%A9.md")).toBe('café.md');
    expect(filenameOf(null)).toBeNull();
  });
});

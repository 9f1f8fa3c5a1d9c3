import { describe, expect, it } from 'vitest';
import { ApiError, createApi } from './client';

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
});

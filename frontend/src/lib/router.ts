export type Route = { page: 'home' } | { page: 'room'; roomId: string } | { page: 'notfound' };

/** The app's two pages: `/` and `/r/{roomId}`. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '' || pathname === '/index.html') return { page: 'home' };
  const m = /^\/r\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (m) return { page: 'room', roomId: m[1] };
  return { page: 'notfound' };
}

/** Reads `key=` from a URL fragment such as `#key=abc`. */
export function keyFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key');
  return key ? key : undefined;
}

/** Accepts a join link (`https://host/r/ID#key=…`), a path, or a bare room code; returns path + hash. */
export function parseRoomInput(input: string): { roomId: string; hash: string } | null {
  const text = input.trim();
  if (!text) return null;
  const m = /\/r\/([A-Za-z0-9_-]{1,64})\/?(#.*)?$/.exec(text);
  if (m) return { roomId: m[1], hash: m[2] ?? '' };
  if (/^[A-Za-z0-9_-]{1,64}$/.test(text)) return { roomId: text, hash: '' };
  return null;
}

export function roomLink(origin: string, roomId: string): string {
  return `${origin}/r/${roomId}`;
}

export function facilitatorLink(origin: string, roomId: string, key: string): string {
  return `${origin}/r/${roomId}#key=${encodeURIComponent(key)}`;
}

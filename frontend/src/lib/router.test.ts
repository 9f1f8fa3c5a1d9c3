import { describe, expect, it } from 'vitest';
import { keyFromHash, parseRoomInput, parseRoute } from './router';

describe('router', () => {
  it('parses the two pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/r/q2Vt0V9mQ8y1b2cXk3JtWg')).toEqual({ page: 'room', roomId: 'q2Vt0V9mQ8y1b2cXk3JtWg' });
    expect(parseRoute('/nope')).toEqual({ page: 'notfound' });
  });
  it('reads the facilitator key from the fragment only', () => {
    expect(keyFromHash('#key=abc-_1')).toBe('abc-_1');
    expect(keyFromHash('')).toBeUndefined();
  });
  it('accepts a link or a code', () => {
    expect(parseRoomInput('https://rr.example/r/AbC_-1#key=zz')).toEqual({ roomId: 'AbC_-1', hash: '#key=zz' });
    expect(parseRoomInput(' AbC_-1 ')).toEqual({ roomId: 'AbC_-1', hash: '' });
    expect(parseRoomInput('not a code!')).toBeNull();
  });
});

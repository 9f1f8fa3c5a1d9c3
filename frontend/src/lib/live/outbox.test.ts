import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox';

describe('Outbox', () => {
  it('gives each command a unique opId with the prefix', () => {
    const o = new Outbox(() => 0, 'opX');
    const a = o.add({ type: 'reveal' });
    const b = o.add({ type: 'revote' });
    expect(a.opId).toBe('opX-1');
    expect(b.opId).toBe('opX-2');
  });

  it('keeps entries until settled, and returns them for resending with the same opId', () => {
    const o = new Outbox(() => 0, 'p');
    const a = o.add({ type: 'vote', value: '5' });
    o.markSent(a.opId);
    expect(o.toSend().map((e) => e.opId)).toEqual([a.opId]);
    expect(o.settle(a.opId)?.command).toEqual({ type: 'vote', value: '5' });
    expect(o.size).toBe(0);
    expect(o.settle(a.opId)).toBeUndefined();
  });

  it('a newer vote replaces a queued one but not one already sent', () => {
    const o = new Outbox(() => 0, 'p');
    const a = o.add({ type: 'vote', value: '5' });
    const b = o.add({ type: 'vote', value: '8' });
    expect(o.all().map((e) => e.opId)).toEqual([b.opId]);
    o.markSent(b.opId);
    const c = o.add({ type: 'vote', value: '13' });
    expect(o.all().map((e) => e.opId)).toEqual([b.opId, c.opId]);
    expect(a.opId).not.toBe(b.opId);
  });

  it('gives up after 30 s and stops resending', () => {
    let now = 0;
    const o = new Outbox(() => now, 'p');
    const a = o.add({ type: 'vote', value: '5' });
    now = 29_999;
    expect(o.expire()).toEqual([]);
    now = 30_000;
    expect(o.expire().map((e) => e.opId)).toEqual([a.opId]);
    expect(o.get(a.opId)?.status).toBe('unsent');
    expect(o.toSend()).toEqual([]);
    expect(o.expire()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 0.5 s and caps at 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => backoffCeiling(a))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });
  it('uses full jitter: a random share of the ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(2, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, () => 0.999)).toBe(9990);
  });
  it('never exceeds the ceiling for any random value', () => {
    for (let a = 0; a < 12; a++) for (const r of [0, 0.1, 0.5, 0.9999]) expect(backoffDelay(a, () => r)).toBeLessThan(backoffCeiling(a));
  });
  it('accepts other options', () => {
    expect(backoffCeiling(3, { baseMs: 100, capMs: 500 })).toBe(500);
  });
});

import { describe, expect, it } from 'vitest';
import { formatUntil } from './format';

describe('formatUntil', () => {
  // Local times, so the test holds in any time zone.
  const now = new Date(2026, 11, 6, 11, 0);

  it('shows only the time for later today', () => {
    expect(formatUntil(new Date(2026, 11, 6, 19, 30).toISOString(), now, 'en-GB')).toBe('19:30');
  });

  it('says tomorrow for a time after midnight', () => {
    expect(formatUntil(new Date(2026, 11, 7, 3, 5).toISOString(), now, 'en-GB')).toBe('tomorrow 3:05');
  });

  it('adds the date further out', () => {
    expect(formatUntil(new Date(2026, 11, 9, 8, 0).toISOString(), now, 'en-GB')).toMatch(/Wed.*9.*Dec.*8:00/);
  });
});

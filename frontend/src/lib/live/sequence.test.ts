import { describe, expect, it } from 'vitest';
import { checkSequence } from './sequence';

describe('checkSequence', () => {
  const at = { epoch: 'e1', version: 10 };
  it('applies exactly the next version', () => expect(checkSequence(at, { epoch: 'e1', version: 11 })).toBe('apply'));
  it('ignores versions already seen', () => {
    expect(checkSequence(at, { epoch: 'e1', version: 10 })).toBe('ignore');
    expect(checkSequence(at, { epoch: 'e1', version: 3 })).toBe('ignore');
  });
  it('resyncs on a gap', () => expect(checkSequence(at, { epoch: 'e1', version: 12 })).toBe('resync'));
  it('resyncs on a new epoch, whatever the version', () => {
    expect(checkSequence(at, { epoch: 'e2', version: 11 })).toBe('resync');
    expect(checkSequence(at, { epoch: 'e2', version: 1 })).toBe('resync');
  });
});

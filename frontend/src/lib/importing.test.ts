import { describe, expect, it } from 'vitest';
import { guessImportKind, lineOf } from './importing';

describe('import guesses', () => {
  it('a .csv file, or a header with a title column, is CSV', () => {
    expect(guessImportKind('jira.csv', 'anything')).toBe('csv');
    expect(guessImportKind(null, 'Summary,Issue key,Description\nA,B,C')).toBe('csv');
    expect(guessImportKind(null, '\uFEFF"Title",URL\nDark mode,https://x')).toBe('csv');
  });
  it('a pasted list, even with commas, is one item a line', () => {
    expect(guessImportKind(null, '- Search by tag\n- Save filters, shared')).toBe('text');
    expect(guessImportKind('notes.txt', 'Summary,Key')).toBe('text');
  });
  it('names the line the service counted, header included', () => {
    const csv = 'Key,Summary\r\nA-1,Fine\r\nA-2,\r\n';
    expect(lineOf(csv, 3)).toBe('A-2,');
    expect(lineOf(csv, 1)).toBe('Key,Summary');
    expect(lineOf(csv, 9)).toBeNull();
  });
});

// The import form's guesses: how to read what was given, and the text of the line an error names.

/**
 * CSV when the file says so, or when the first line looks like a header with a title column
 * (Summary, Title, Name, Issue Title: docs/record.md); otherwise one item a line.
 */
export function guessImportKind(fileName: string | null, text: string): 'csv' | 'text' {
  if (fileName && /\.csv$/i.test(fileName)) return 'csv';
  if (fileName && /\.(txt|md)$/i.test(fileName)) return 'text';
  const first = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const cells = first.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  return cells.length > 1 && cells.some((c) => ['summary', 'title', 'name', 'issue title'].includes(c)) ? 'csv' : 'text';
}

/** Physical line `n` (from 1) of the text, as the service counts lines; null past the end. */
export function lineOf(text: string, n: number): string | null {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  return n >= 1 && n <= lines.length ? lines[n - 1] : null;
}

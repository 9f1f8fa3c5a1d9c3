export const FLAG_LABELS: Record<string, string> = {
  scope: 'Scope unclear',
  acceptance: 'Acceptance unclear',
  dependency: 'Dependency',
  risk: 'Risk',
  'too-big': 'Too big',
};

export const FLAG_ICONS: Record<string, string> = {
  scope: '◎',
  acceptance: '☑',
  dependency: '⇔',
  risk: '⚠',
  'too-big': '⇲',
};

export function flagLabel(flag: string): string {
  return FLAG_LABELS[flag] ?? flag;
}

/** How a card is shown on its face. */
export function cardFace(card: string): string {
  return card === 'coffee' ? '☕' : card;
}

/** How a card is read out (screen readers, titles). */
export function cardName(card: string): string {
  if (card === 'coffee') return 'coffee break';
  if (card === '?') return 'not sure (?)';
  return card;
}

export function statusLabel(status: string): string {
  if (status === 'voting') return 'Voting now';
  if (status === 'estimated') return 'Estimated';
  return status === 'split' ? 'Split' : 'Pending';
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
}

export function parseCustomDeck(text: string): { cards: string[] } | { error: string } {
  const cards = text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (cards.length === 0) return { error: 'Enter at least one card, separated by commas.' };
  if (cards.length > 20) return { error: 'A deck holds at most 20 cards.' };
  const bad = cards.find((c) => c.length > 8 || /[\u0000-\u001f\u007f]/.test(c));
  if (bad) return { error: `“${bad.slice(0, 12)}” is too long: a card has at most 8 characters.` };
  if (new Set(cards).size !== cards.length) return { error: 'Each card may appear only once.' };
  return { cards };
}

/** A time within the next days in the reader's locale: "19:30", "tomorrow 03:10", or with the date. */
export function formatUntil(iso: string, now: Date = new Date(), locale?: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (sameDay(at, now)) return time;
  if (sameDay(at, tomorrow)) return `tomorrow ${time}`;
  return at.toLocaleString(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

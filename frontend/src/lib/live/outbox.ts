import type { Command } from '../api/types';

export type OutboxStatus = 'queued' | 'sent' | 'unsent';

export interface OutboxEntry {
  opId: string;
  command: Command;
  createdAt: number;
  status: OutboxStatus;
}

/**
 * Commands that have not been answered yet, keyed by `opId`. A command keeps its opId for every
 * resend, so the service applies it once. An entry that is not acknowledged within `giveUpMs`
 * becomes `unsent` and is no longer resent: the page then says so.
 */
export class Outbox {
  private entries = new Map<string, OutboxEntry>();
  private counter = 0;

  constructor(
    private readonly now: () => number,
    private readonly prefix: string,
    private readonly giveUpMs = 30_000,
  ) {}

  nextOpId(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /** Adds a command; a newer vote replaces a queued (never sent) one, since only the latest counts. */
  add(command: Command): OutboxEntry {
    if (command.type === 'vote') {
      for (const e of this.entries.values()) {
        if (e.command.type === 'vote' && e.status === 'queued') this.entries.delete(e.opId);
      }
    }
    const entry: OutboxEntry = { opId: this.nextOpId(), command, createdAt: this.now(), status: 'queued' };
    this.entries.set(entry.opId, entry);
    return entry;
  }

  get(opId: string): OutboxEntry | undefined {
    return this.entries.get(opId);
  }

  markSent(opId: string): void {
    const e = this.entries.get(opId);
    if (e && e.status === 'queued') e.status = 'sent';
  }

  /** Entries to (re)send after a `welcome`, oldest first, with their original opId. */
  toSend(): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => e.status !== 'unsent');
  }

  /** Removes the entry answered by an `ack` or `error`; returns it, or undefined if unknown. */
  settle(opId: string): OutboxEntry | undefined {
    const e = this.entries.get(opId);
    if (e) this.entries.delete(opId);
    return e;
  }

  /** Marks every entry older than the give-up delay as `unsent`; returns the newly given up. */
  expire(): OutboxEntry[] {
    const now = this.now();
    const out: OutboxEntry[] = [];
    for (const e of this.entries.values()) {
      if (e.status !== 'unsent' && now - e.createdAt >= this.giveUpMs) {
        e.status = 'unsent';
        out.push(e);
      }
    }
    return out;
  }

  /** Forgets entries (given up ones the person has dismissed, or all when leaving). */
  drop(predicate: (e: OutboxEntry) => boolean = () => true): void {
    for (const e of [...this.entries.values()]) if (predicate(e)) this.entries.delete(e.opId);
  }

  all(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }
}

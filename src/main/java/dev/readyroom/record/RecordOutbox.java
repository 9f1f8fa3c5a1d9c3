package dev.readyroom.record;

import dev.readyroom.live.PublishedEvent;

/**
 * Where live commits wait to reach the durable record. Called after a commit succeeded; never
 * blocks and never fails the command: the record follows the live state, it does not gate it.
 * Standalone: {@link InProcessRecordOutbox}. Cluster: a Redis Stream consumer group (see docs/record.md).
 */
public interface RecordOutbox {

    /** Queues the entry if it matters to the record ({@link RecordEntries#matters}); ignores it otherwise. */
    void append(PublishedEvent entry);

    /** Entries accepted and not yet written (on this node). */
    long backlog();

    /**
     * Part of the node's stop, once no change can be appended any more: returns when what this node
     * holds is written, or when the configured drain time ran out. Nothing to do where the entries
     * are already in a shared log.
     */
    default void flushBeforeStop() {
    }
}

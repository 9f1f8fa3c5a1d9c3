package dev.readyroom.live;

import dev.readyroom.domain.EventType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where live commits wait to reach the durable record. Called after a commit succeeded; never
 * blocks and never fails the command: the record follows the live state, it does not gate it.
 * Standalone: an in-process queue. Cluster: a Redis Stream consumer group (see docs/record.md).
 * Chosen with the live mode ({@link LiveMode}); the record itself is a {@link RecordSink}.
 */
public interface RecordOutbox {

    /** Presence, joins and hidden votes never reach the record; round.started only says a round is open. */
    Set<EventType> RECORDED = Set.copyOf(EnumSet.of(EventType.ROOM_CREATED, EventType.SETTINGS_CHANGED,
            EventType.ITEM_ADDED, EventType.ITEM_UPDATED, EventType.ITEM_REMOVED, EventType.ITEM_ESTIMATED,
            EventType.ROUND_STARTED, EventType.ROUND_REVEALED, EventType.ITEM_SPLIT, EventType.ITEM_MOVED,
            EventType.NOTE_ADDED, EventType.ROOM_DELETED));

    /** Whether the record keeps anything of events of this type. */
    static boolean records(EventType type) {
        return RECORDED.contains(type);
    }

    /** Queues the entry if the record keeps it ({@link #records}); ignores it otherwise. */
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

package dev.readyroom.live;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/** The durable record as the outboxes see it: where their entries end up. */
public interface RecordSink {

    /** A recorded event and when its live commit happened. */
    record Entry(PublishedEvent event, Instant committedAt) {
    }

    /** Writes the entries, in order, in one transaction: all of them or none. Idempotent per entry. */
    Uni<Void> writeAll(List<Entry> entries);

    /**
     * True when {@code failure} will come back on every retry (the record refuses the data), false
     * when it will pass (the database is unreachable, restarting, busy).
     */
    boolean refusesForGood(Throwable failure);
}

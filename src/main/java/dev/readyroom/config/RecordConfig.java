package dev.readyroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The durable record, under {@code readyroom.record.}. */
@ConfigMapping(prefix = "readyroom.record")
public interface RecordConfig {

    /**
     * Where the embedded PostgreSQL keeps its data when no datasource URL is configured (standalone
     * with nothing installed). Kept across restarts. Read before Quarkus starts, so set it as a
     * system property or the environment variable {@code READYROOM_RECORD_DATA_DIR}.
     */
    @WithDefault("${user.home}/.ready-room/postgres")
    String dataDir();

    /** The longest wait between two attempts to write the outbox backlog while PostgreSQL is down. */
    @WithDefault("5s")
    Duration retryMax();

    /**
     * How long outbox entries gather before they are written, together, in one transaction (a
     * transaction per entry cost more CPU than the live round it recorded). Standalone writes at
     * once on a stop; cluster entries wait in the Redis stream.
     */
    @WithDefault("250ms")
    Duration batchLinger();

    /** On shutdown, how long to wait for the in-process outbox to drain. */
    @WithDefault("10s")
    Duration drainOnShutdown();

    /** Cluster: how long an outbox entry stays unacknowledged by a node before another node takes it over. */
    @WithDefault("60s")
    Duration claimIdle();

    /**
     * How long the record keeps a room nobody changed: then the room goes, with its items, rounds,
     * votes and estimates. Checked every 6 hours.
     */
    @WithDefault("90d")
    Duration retention();

    /** Cluster: how often each node looks for entries abandoned by a node that died. */
    @WithDefault("30s")
    Duration claimInterval();
}

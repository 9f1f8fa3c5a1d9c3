package dev.readyroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Cluster mode: set {@code REDIS_URL} (mapped to {@code readyroom.cluster.redis-url}) to turn it on. */
@ConfigMapping(prefix = "readyroom.cluster")
public interface ClusterConfig {
    String REDIS_URL = "readyroom.cluster.redis-url";

    /** The Redis every node shares, e.g. {@code redis://redis:6379}; unset means standalone mode. */
    Optional<String> redisUrl();

    /** Connections each node keeps to Redis for commands. */
    @WithDefault("16")
    int poolSize();

    /** How long a node waits for Redis to accept a connection before trying again. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** How long the readiness probe waits for Redis. */
    @WithDefault("800ms")
    Duration probeTimeout();

    /** The first and the longest pause before the event subscription is retried. */
    @WithDefault("100ms")
    Duration resubscribeMinBackoff();

    @WithDefault("1s")
    Duration resubscribeMaxBackoff();

    /**
     * How long a node that stops renewing its lease (renewed four times a lease) is still taken
     * for alive; after that another node shows its participants away.
     */
    @WithDefault("10s")
    Duration nodeLease();
}

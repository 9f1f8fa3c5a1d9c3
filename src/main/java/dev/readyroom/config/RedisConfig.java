package dev.readyroom.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How cluster mode uses Redis: one Redis (with or without replicas) or a Redis Cluster. */
@ConfigMapping(prefix = "readyroom.redis")
public interface RedisConfig {

    /**
     * True for a Redis Cluster ({@code READYROOM_REDIS_CLUSTER=true}): {@code REDIS_URL} then lists
     * seed nodes, comma-separated, and the record's outbox and room events are sharded by hash slot.
     */
    @WithDefault("false")
    boolean cluster();

    /**
     * Replicas that must hold a change before it is acknowledged (Redis {@code WAIT} after the
     * commit); 0 acknowledges once the master committed it. A change not on that many replicas
     * within {@link #waitTimeout} is answered {@code unavailable}: the client's retry with the same
     * opId gets the original ack.
     */
    @WithDefault("0")
    int waitReplicas();

    /** How long a commit waits for {@link #waitReplicas} replicas. */
    @WithDefault("500ms")
    Duration waitTimeout();
}

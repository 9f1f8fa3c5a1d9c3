package dev.readyroom.config;

import java.util.Optional;

/**
 * Standalone or cluster: decided here and nowhere else. Cluster mode is on when a Redis URL is set
 * ({@code REDIS_URL}, mapped to {@code readyroom.cluster.redis-url}).
 */
public enum Mode {
    STANDALONE, CLUSTER;

    public static Mode of(Optional<String> redisUrl) {
        return redisUrl.filter(url -> !url.isBlank()).isPresent() ? CLUSTER : STANDALONE;
    }

    /** The mode as the service's configuration will give it, for what runs before Quarkus starts. */
    public static Mode beforeStart() {
        return of(BootSettings.get(ClusterConfig.REDIS_URL).or(() -> BootSettings.get("REDIS_URL")));
    }

    public boolean cluster() {
        return this == CLUSTER;
    }
}

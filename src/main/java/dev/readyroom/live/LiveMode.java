package dev.readyroom.live;

import dev.readyroom.config.ClusterConfig;
import dev.readyroom.config.Mode;
import dev.readyroom.live.memory.StandaloneLive;
import dev.readyroom.live.redis.ClusterLive;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Chooses the live implementation when the service starts, not when it is built ({@link Mode}):
 * cluster (Redis) or standalone (memory), each with its store, bus, node liveness and record
 * outbox. The unused one is never created.
 */
@ApplicationScoped
public class LiveMode {
    private final boolean cluster;
    private final Instance<ClusterLive> clusterLive;
    private final Instance<StandaloneLive> standaloneLive;

    public LiveMode(ClusterConfig config, Instance<ClusterLive> clusterLive, Instance<StandaloneLive> standaloneLive) {
        this.cluster = Mode.of(config.redisUrl()).cluster();
        this.clusterLive = clusterLive;
        this.standaloneLive = standaloneLive;
    }

    public boolean cluster() {
        return cluster;
    }

    /** Connects to Redis at start-up, so readiness can wait for the event subscription. */
    void onStart(@Observes StartupEvent event) {
        if (cluster) {
            clusterLive.get().bus();
        }
    }

    /** A singleton, not a client proxy: the command path calls it often, and checks what it is. */
    @Produces
    @Singleton
    RoomStore roomStore() {
        return cluster ? clusterLive.get().store() : standaloneLive.get().store();
    }

    @Produces
    @Singleton
    RoomBus roomBus() {
        return cluster ? clusterLive.get().bus() : standaloneLive.get().bus();
    }

    @Produces
    @Singleton
    RecordOutbox recordOutbox(MeterRegistry metrics) {
        RecordOutbox outbox = cluster ? clusterLive.get().outbox() : standaloneLive.get().outbox();
        metrics.gauge("readyroom.record.backlog", outbox, RecordOutbox::backlog);
        return outbox;
    }

    @Produces
    @Singleton
    NodeLiveness nodeLiveness() {
        return cluster ? clusterLive.get().liveness() : NodeLiveness.NONE;
    }
}

package dev.readyroom.record;

import dev.readyroom.live.LiveMode;
import dev.readyroom.live.redis.ClusterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Chooses the outbox with the live mode, when the service starts: the Redis Stream consumer group
 * in cluster mode ({@code REDIS_URL} set), the in-process queue in standalone mode.
 */
@ApplicationScoped
public class RecordOutboxes {

    @Produces
    @ApplicationScoped
    RecordOutbox outbox(LiveMode mode, ClusterConfig cluster, Instance<InProcessRecordOutbox> inProcess,
            Instance<RedisStreamRecordOutbox> stream, MeterRegistry metrics) {
        RecordOutbox chosen;
        if (mode.cluster()) {
            RedisStreamRecordOutbox redis = stream.get();
            redis.start(cluster.redisUrl().orElseThrow());
            chosen = redis;
        } else {
            chosen = inProcess.get();
        }
        metrics.gauge("readyroom.record.backlog", chosen, RecordOutbox::backlog);
        return chosen;
    }
}

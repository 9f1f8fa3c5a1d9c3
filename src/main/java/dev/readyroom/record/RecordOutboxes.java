package dev.readyroom.record;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the outbox when the service starts: the Redis Stream consumer group when
 * {@code REDIS_URL} is set (cluster mode), the in-process queue otherwise.
 */
@ApplicationScoped
public class RecordOutboxes {

    @Produces
    @ApplicationScoped
    RecordOutbox outbox(@ConfigProperty(name = "REDIS_URL") Optional<String> redisUrl,
            Instance<InProcessRecordOutbox> inProcess, Instance<RedisStreamRecordOutbox> stream,
            MeterRegistry metrics) {
        RecordOutbox chosen;
        if (redisUrl.filter(url -> !url.isBlank()).isPresent()) {
            RedisStreamRecordOutbox redis = stream.get();
            redis.start(redisUrl.get());
            chosen = redis;
        } else {
            chosen = inProcess.get();
        }
        metrics.gauge("readyroom.record.backlog", chosen, RecordOutbox::backlog);
        return chosen;
    }
}

package dev.readyroom.record;

import dev.readyroom.config.RecordConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The record keeps a room for {@code readyroom.record.retention} (90 days) after its last change,
 * then deletes it with everything of it (the schema cascades). Idempotent, so every node of a
 * cluster may run it.
 */
@ApplicationScoped
public class RecordRetention {
    private static final Logger LOG = Logger.getLogger(RecordRetention.class);

    private final Pool pool;
    private final RecordConfig config;

    public RecordRetention(Pool pool, RecordConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(every = "6h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneOnSchedule() {
        return prune(Instant.now()).onFailure().invoke(e -> LOG.warnf("Pruning the record failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes every room unchanged since before {@code now} less the retention; returns how many. */
    public Uni<Integer> prune(Instant now) {
        Instant cutoff = now.minus(config.retention());
        return pool.preparedQuery("delete from room where updated_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d rooms unchanged since %s from the record", deleted, cutoff);
                    }
                });
    }
}

package dev.readyroom.live.memory;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.config.RecordConfig;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RecordStatus;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Standalone mode (see {@link dev.readyroom.live.LiveMode}): one node, live state in memory, events
 * and record entries in-process.
 */
@ApplicationScoped
public class StandaloneLive {
    private static final Logger LOG = Logger.getLogger(StandaloneLive.class);

    private final InProcessRoomBus bus = new InProcessRoomBus();
    private final InMemoryRoomStore store;
    private final ReadyRoomConfig config;
    private final InProcessRecordOutbox outbox;

    public StandaloneLive(ReadyRoomConfig config, RecordSink record, RecordStatus recordStatus,
            RecordConfig recordConfig, Vertx vertx) {
        this.config = config;
        this.store = new InMemoryRoomStore(bus, KeptPerRoom.of(config.live()), Clock.systemUTC());
        this.outbox = new InProcessRecordOutbox(record, recordStatus, recordConfig, vertx);
    }

    public RecordOutbox outbox() {
        return outbox;
    }

    public RoomStore store() {
        return store;
    }

    public RoomBus bus() {
        return bus;
    }

    @Scheduled(every = "10m", delayed = "10m")
    void forgetIdleRooms() {
        int forgotten = store.expireIdle(config.live().roomIdleExpiry());
        if (forgotten > 0) {
            LOG.infof("Forgot %d rooms idle for %s", forgotten, config.live().roomIdleExpiry());
        }
    }
}

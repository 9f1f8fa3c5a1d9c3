package dev.readyroom.live.memory;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Standalone mode (see {@link dev.readyroom.live.LiveMode}): one node, live state in memory, events in-process. */
@ApplicationScoped
public class StandaloneLive {
    private static final Logger LOG = Logger.getLogger(StandaloneLive.class);

    private final InProcessRoomBus bus = new InProcessRoomBus();
    private final InMemoryRoomStore store;
    private final ReadyRoomConfig config;

    public StandaloneLive(ReadyRoomConfig config) {
        this.config = config;
        this.store = new InMemoryRoomStore(bus, config.live().keptEvents(), config.live().keptReplies(),
                Clock.systemUTC());
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

package dev.readyroom.live.memory;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.quarkus.arc.DefaultBean;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Standalone mode: one node, live state in memory, events through an in-process bus. */
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

    @Produces
    @DefaultBean
    @ApplicationScoped
    RoomStore roomStore() {
        return store;
    }

    @Produces
    @DefaultBean
    @ApplicationScoped
    RoomBus roomBus() {
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

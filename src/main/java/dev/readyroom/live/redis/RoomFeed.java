package dev.readyroom.live.redis;

import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.vertx.mutiny.core.Vertx;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * One room's events on this node, made gapless: pub/sub may drop or reorder nothing we can see,
 * but it may lose messages, so an event ahead of the next expected version waits while the missing
 * ones are read from the room's stream. Everything runs under this object's lock, so the listener
 * sees one event at a time, in order.
 */
final class RoomFeed implements RoomBus.Subscription {
    private static final Logger LOG = Logger.getLogger(RoomFeed.class);

    private final String roomId;
    private final String epoch;
    private final RoomBus.Listener listener;
    private final RoomStore store;
    private final Vertx vertx;
    private final Runnable onCancel;
    private final TreeMap<Long, PublishedEvent> early = new TreeMap<>();
    private long last;
    private boolean filling;
    private volatile boolean over;

    RoomFeed(String roomId, String epoch, long afterVersion, RoomBus.Listener listener, RoomStore store,
            Vertx vertx, Runnable onCancel) {
        this.roomId = roomId;
        this.epoch = epoch;
        this.last = afterVersion;
        this.listener = listener;
        this.store = store;
        this.vertx = vertx;
        this.onCancel = onCancel;
    }

    String roomId() {
        return roomId;
    }

    synchronized void offer(PublishedEvent event) {
        if (over || event.version() <= last && event.epoch().equals(epoch)) {
            return;
        }
        if (!event.epoch().equals(epoch)) {
            reset("the room now lives under epoch " + event.epoch());
            return;
        }
        if (event.version() == last + 1 && !filling) {
            deliver(event);
            drainEarly();
            return;
        }
        early.put(event.version(), event);
        fill();
    }

    /** Reads whatever this node missed from the stream (after a resubscribe, or a gap). */
    synchronized void fill() {
        if (over || filling) {
            return;
        }
        filling = true;
        long from = last;
        store.eventsAfter(roomId, epoch, from).subscribe().with(this::filled, failure -> {
            synchronized (this) {
                filling = false;
            }
            LOG.debugf("Filling room %s after version %d failed: %s", roomId, from, failure.getMessage());
            retryLater(500);
        });
    }

    private synchronized void filled(List<PublishedEvent> events) {
        filling = false;
        if (over) {
            return;
        }
        if (events == null) {
            reset("its missed events are no longer in Redis");
            return;
        }
        long before = last;
        for (PublishedEvent event : events) {
            if (event.version() == last + 1) {
                deliver(event);
            }
        }
        drainEarly();
        if (!early.isEmpty()) {
            // The stream answers at most a page at a time; go on while it makes progress.
            if (last > before) {
                fill();
            } else {
                retryLater(100);
            }
        }
    }

    private void drainEarly() {
        Iterator<Map.Entry<Long, PublishedEvent>> iterator = early.entrySet().iterator();
        while (iterator.hasNext()) {
            Map.Entry<Long, PublishedEvent> entry = iterator.next();
            if (entry.getKey() <= last) {
                iterator.remove();
            } else if (entry.getKey() == last + 1) {
                iterator.remove();
                deliver(entry.getValue());
            } else {
                return;
            }
        }
    }

    private void retryLater(long delayMillis) {
        vertx.setTimer(delayMillis, id -> fill());
    }

    private void deliver(PublishedEvent event) {
        last = event.version();
        try {
            listener.event(event);
        } catch (RuntimeException e) {
            LOG.warnf("A room listener failed on version %d: %s", event.version(), e.getMessage());
        }
    }

    private void reset(String why) {
        LOG.infof("Room %s starts over on this node: %s", roomId, why);
        over = true;
        early.clear();
        onCancel.run();
        listener.reset();
    }

    @Override
    public void cancel() {
        if (!over) {
            over = true;
            onCancel.run();
        }
    }
}

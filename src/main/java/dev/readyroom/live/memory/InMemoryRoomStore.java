package dev.readyroom.live.memory;

import dev.readyroom.domain.EventType;
import dev.readyroom.domain.Participant;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.CompactLog;
import dev.readyroom.live.ImmediateRoomStore;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The standalone store: rooms in this JVM's memory, compare-and-set under a per-room lock. */
public class InMemoryRoomStore implements RoomStore, ImmediateRoomStore {
    private final Map<String, Entry> rooms = new ConcurrentHashMap<>();
    /** What the rooms held take, about: the sum of every entry's {@link Entry#footprint}. */
    private final AtomicLong liveBytes = new AtomicLong();
    private final InProcessRoomBus bus;
    private final KeptPerRoom kept;
    private final Clock clock;

    public InMemoryRoomStore(InProcessRoomBus bus, KeptPerRoom kept, Clock clock) {
        this.bus = bus;
        this.kept = kept;
        this.clock = clock;
    }

    private final class Entry {
        RoomState state;
        final String epoch;
        /** The kept events, as (version, type, json) in UTF-8. */
        final CompactLog recentEvents = new CompactLog(kept.events(), kept.eventBytes());
        final KeptReplies replies = new KeptReplies(kept.replies(), kept.replyBytes());
        long lastChangeMillis;
        /** Its share of {@link #liveBytes}; -1 once it is out of the store. */
        long footprint;

        Entry(RoomState state, String epoch) {
            this.state = state;
            this.epoch = epoch;
            this.lastChangeMillis = clock.millis();
        }

        /** Brings its share of {@link #liveBytes} up to date; under its lock. */
        void account() {
            if (footprint < 0) {
                return;
            }
            long now = RoomFootprint.of(state) + recentEvents.capacityBytes() + replies.heapBytes();
            liveBytes.addAndGet(now - footprint);
            footprint = now;
        }

        /** Takes its share out of {@link #liveBytes} once it left the store; under its lock. */
        void unaccount() {
            if (footprint >= 0) {
                liveBytes.addAndGet(-footprint);
                footprint = -1;
            }
        }

        void keep(PublishedEvent event) {
            recentEvents.append(event.version(), event.type().wireName().getBytes(StandardCharsets.UTF_8),
                    event.json().getBytes(StandardCharsets.UTF_8));
        }

        PublishedEvent kept(long position) {
            EventType type = EventType.ofWireName(new String(recentEvents.first(position), StandardCharsets.UTF_8));
            String json = new String(recentEvents.second(position), StandardCharsets.UTF_8);
            return new PublishedEvent(state.id(), epoch, recentEvents.number(position), type, json,
                    WireFormat.membershipIn(type, json));
        }
    }

    @Override
    public Uni<Boolean> create(RoomState state, String epoch) {
        Entry entry = new Entry(state, epoch);
        synchronized (entry) {
            if (rooms.putIfAbsent(state.id(), entry) != null) {
                return Uni.createFrom().item(false);
            }
            entry.account();
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<StoredRoom> load(String roomId) {
        return Uni.createFrom().item(loadNow(roomId));
    }

    @Override
    public StoredRoom loadNow(String roomId) {
        Entry entry = rooms.get(roomId);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            return new StoredRoom(entry.state, entry.epoch);
        }
    }

    @Override
    public Uni<Boolean> commit(long expectedVersion, RoomState next, PublishedEvent event, String opKey,
            String reply) {
        return Uni.createFrom().item(commitNow(expectedVersion, next, event, opKey, reply));
    }

    @Override
    public boolean commitNow(long expectedVersion, RoomState next, PublishedEvent event, String opKey,
            String reply) {
        Entry entry = rooms.get(next.id());
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            if (entry.state.version() != expectedVersion) {
                return false;
            }
            entry.state = next;
            entry.lastChangeMillis = clock.millis();
            entry.keep(event);
            if (opKey != null) {
                entry.replies.put(opKey, reply);
            }
            entry.account();
            // Published under the lock, so listeners see the events of a room in version order.
            bus.publish(event);
        }
        return true;
    }

    @Override
    public Uni<List<PublishedEvent>> eventsAfter(String roomId, String epoch, long version) {
        Entry entry = rooms.get(roomId);
        if (entry == null || !entry.epoch.equals(epoch)) {
            return Uni.createFrom().nullItem();
        }
        synchronized (entry) {
            if (version > entry.state.version()) {
                return Uni.createFrom().nullItem();
            }
            List<PublishedEvent> after = new ArrayList<>();
            CompactLog events = entry.recentEvents;
            for (long position = events.oldest(); position < events.end(); position = events.next(position)) {
                if (events.number(position) > version) {
                    after.add(entry.kept(position));
                }
            }
            boolean complete = version == entry.state.version()
                    || !after.isEmpty() && after.get(0).version() == version + 1;
            return complete ? Uni.createFrom().item(after) : Uni.createFrom().nullItem();
        }
    }

    @Override
    public Uni<ReplyOrRoom> replyOrRoom(String roomId, String opKey) {
        return Uni.createFrom().item(replyOrRoomNow(roomId, opKey));
    }

    @Override
    public ReplyOrRoom replyOrRoomNow(String roomId, String opKey) {
        Entry entry = rooms.get(roomId);
        if (entry == null) {
            return new ReplyOrRoom(null, null);
        }
        synchronized (entry) {
            String reply = entry.replies.get(opKey);
            return reply != null ? new ReplyOrRoom(reply, null)
                    : new ReplyOrRoom(null, new StoredRoom(entry.state, entry.epoch));
        }
    }

    @Override
    public Uni<Void> forget(String roomId) {
        Entry entry = rooms.remove(roomId);
        if (entry != null) {
            synchronized (entry) {
                entry.unaccount();
            }
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> rememberReply(String roomId, String opKey, String reply) {
        rememberReplyNow(roomId, opKey, reply);
        return Uni.createFrom().voidItem();
    }

    @Override
    public void rememberReplyNow(String roomId, String opKey, String reply) {
        Entry entry = rooms.get(roomId);
        if (entry != null) {
            synchronized (entry) {
                entry.replies.put(opKey, reply);
                entry.account();
            }
        }
    }

    @Override
    public long roomCount() {
        return rooms.size();
    }

    @Override
    public long liveBytes() {
        return liveBytes.get();
    }

    @Override
    public int makeWay(int count, Duration idleAtLeast) {
        long cutoff = clock.millis() - idleAtLeast.toMillis();
        List<Map.Entry<String, Long>> idle = new ArrayList<>();
        rooms.forEach((id, entry) -> {
            synchronized (entry) {
                if (entry.lastChangeMillis <= cutoff
                        && entry.state.participants().values().stream().noneMatch(Participant::online)) {
                    idle.add(Map.entry(id, entry.lastChangeMillis));
                }
            }
        });
        idle.sort(Map.Entry.comparingByValue());
        int forgotten = 0;
        for (Map.Entry<String, Long> room : idle.subList(0, Math.min(count, idle.size()))) {
            Entry entry = rooms.get(room.getKey());
            if (entry == null) {
                continue;
            }
            synchronized (entry) {
                // Changed or joined since it was listed: it stays.
                if (entry.lastChangeMillis == room.getValue() && rooms.remove(room.getKey(), entry)) {
                    entry.unaccount();
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    /** Forgets rooms nobody changed for {@code idle}; returns how many. */
    public int expireIdle(Duration idle) {
        long cutoff = clock.millis() - idle.toMillis();
        int before = rooms.size();
        rooms.values().removeIf(entry -> {
            synchronized (entry) {
                if (entry.lastChangeMillis < cutoff) {
                    entry.unaccount();
                    return true;
                }
                return false;
            }
        });
        return before - rooms.size();
    }
}

package dev.readyroom.realtime;

import dev.readyroom.domain.EventType;
import dev.readyroom.live.CompactLog;
import dev.readyroom.live.PublishedEvent.Membership;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The room members connected to this node, and their room's subscription on the bus: a room is
 * subscribed while it has a local member. Each event arrives serialized once; every local member
 * gets the same text. Never the endpoint-wide broadcast, which would reach every room.
 */
@ApplicationScoped
public class RoomConnections {
    static final int CLOSE_REMOVED = 4403;
    static final int CLOSE_REPLACED = 4409;
    /** The room's live state was rebuilt, or this node lost track of it: resume for a snapshot. */
    static final int CLOSE_START_OVER = 1012;
    /** Recent events kept per room, to catch up a member that joined while they were passing by. */
    private static final int RECENT_EVENTS = 128;
    private static final long RECENT_EVENT_BYTES = 256 * 1024;
    private static final byte[] NO_BYTES = {};
    private static final long DELETED_ROOM_CLOSE_DELAY_MILLIS = 2_000;

    private final RoomBus bus;
    private final Vertx vertx;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile PresenceListener presenceListener = (roomId, participantId, online) -> {
    };

    /** Hears every presence change of a room with members here, whichever node's connection it was. */
    @FunctionalInterface
    public interface PresenceListener {
        void changed(String roomId, String participantId, boolean online);
    }

    public RoomConnections(RoomBus bus, MeterRegistry metrics, Vertx vertx) {
        this.bus = bus;
        this.vertx = vertx;
        metrics.gauge("readyroom.members", connections);
        metrics.gauge("readyroom.rooms.active", rooms, Map::size);
    }

    /** A joined connection. It gets the room's events with a version above {@code afterVersion}. */
    public static final class Member {
        final Outbound out;
        final String participantId;
        final long welcomeVersion;
        volatile long afterVersion;
        volatile boolean replaced;

        Member(Outbound out, String participantId, long afterVersion) {
            this.out = out;
            this.participantId = participantId;
            this.welcomeVersion = afterVersion;
            this.afterVersion = afterVersion;
        }

        public String participantId() {
            return participantId;
        }

        /** The same participant came back on another connection, possibly on another node. */
        public boolean replaced() {
            return replaced;
        }
    }

    /**
     * A room with members on this node. Its events are delivered under its lock, in version order,
     * and {@code lastVersion} is the last one delivered.
     */
    private final class LocalRoom {
        final String roomId;
        final String epoch;
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        /** The last events delivered, as (version, no type, UTF-8 text): compact, since they outlive collections. */
        final CompactLog recent = new CompactLog(RECENT_EVENTS, RECENT_EVENT_BYTES);
        long lastVersion;
        RoomBus.Subscription subscription;

        LocalRoom(String roomId, String epoch, long lastVersion) {
            this.roomId = roomId;
            this.epoch = epoch;
            this.lastVersion = lastVersion;
        }
    }

    /**
     * Adds a joined connection of {@code epoch} that gets the events after {@code afterVersion}.
     * {@code greeting} (the welcome) is sent first, under the room's lock, so no event overtakes it.
     */
    Member add(String roomId, String epoch, Outbound out, String participantId, long afterVersion,
            Runnable greeting) {
        Member member = new Member(out, participantId, afterVersion);
        rooms.compute(roomId, (id, room) -> {
            LocalRoom local = room;
            if (local != null && !local.epoch.equals(epoch)) {
                startOver(local);
                local = null;
            }
            if (local == null) {
                LocalRoom created = new LocalRoom(roomId, epoch, afterVersion);
                created.subscription = bus.subscribe(roomId, epoch, afterVersion, new RoomBus.Listener() {
                    @Override
                    public void event(PublishedEvent event) {
                        deliver(created, event);
                    }

                    @Override
                    public void reset() {
                        rooms.remove(roomId, created);
                        startOver(created);
                    }
                });
                local = created;
            }
            synchronized (local) {
                greeting.run();
                if (catchUp(local, member)) {
                    local.members.add(member);
                    connections.incrementAndGet();
                } else {
                    close(member, CLOSE_START_OVER, "Missed events; resume for a snapshot");
                }
            }
            return local;
        });
        return member;
    }

    /** Sends a member that joined behind the room the events it missed, from the recent ones. */
    private boolean catchUp(LocalRoom local, Member member) {
        if (member.afterVersion >= local.lastVersion) {
            return true;
        }
        CompactLog recent = local.recent;
        if (recent.size() == 0 || recent.number(recent.oldest()) > member.afterVersion + 1) {
            return false;
        }
        for (long position = recent.oldest(); position < recent.end(); position = recent.next(position)) {
            if (recent.number(position) > member.afterVersion) {
                byte[] utf8 = recent.second(position);
                member.out.send(new EncodedText(new String(utf8, StandardCharsets.UTF_8), utf8));
            }
        }
        member.afterVersion = local.lastVersion;
        return true;
    }

    /** Continuity is lost: every member reconnects and resumes, and gets a snapshot. */
    private void startOver(LocalRoom local) {
        local.subscription.cancel();
        synchronized (local) {
            for (Member member : local.members) {
                if (local.members.remove(member)) {
                    connections.decrementAndGet();
                }
                close(member, CLOSE_START_OVER, "The room starts over; resume for a snapshot");
            }
        }
    }

    public void remove(String roomId, Member member) {
        rooms.computeIfPresent(roomId, (id, local) -> {
            if (local.members.remove(member)) {
                connections.decrementAndGet();
            }
            if (local.members.isEmpty()) {
                local.subscription.cancel();
                return null;
            }
            return local;
        });
    }

    /** The other local connections of the same participant (e.g. the tab before a reload). */
    public List<Member> othersOf(String roomId, String participantId, Member except) {
        LocalRoom local = rooms.get(roomId);
        if (local == null) {
            return List.of();
        }
        return local.members.stream()
                .filter(m -> m != except && m.participantId.equals(participantId)).toList();
    }

    public void close(Member member, int code, String reason) {
        member.out.close(code, reason);
    }

    public void onPresence(PresenceListener listener) {
        this.presenceListener = listener;
    }

    private void deliver(LocalRoom local, PublishedEvent event) {
        synchronized (local) {
            local.lastVersion = Math.max(local.lastVersion, event.version());
            EncodedText text = EncodedText.of(event.json());
            local.recent.append(event.version(), NO_BYTES, text.utf8());
            for (Member member : local.members) {
                if (event.version() > member.afterVersion) {
                    member.afterVersion = event.version();
                    member.out.send(text);
                }
            }
            if (event.membership() != null) {
                membershipChanged(local, event.version(), event.membership());
            }
            if (event.type() == EventType.ROOM_DELETED) {
                // Its last event. The close waits a little, so the one who deleted it gets the ack
                // first, which goes out once the record is erased.
                List<Member> members = List.copyOf(local.members);
                vertx.setTimer(DELETED_ROOM_CLOSE_DELAY_MILLIS, timer -> members
                        .forEach(member -> close(member, Handshake.CLOSE_ROOM_GONE, "This room was deleted")));
            }
        }
    }

    private void membershipChanged(LocalRoom local, long version, Membership membership) {
        String participantId = membership.participantId();
        switch (membership.change()) {
            case ONLINE -> {
                closeReplaced(local, participantId, version);
                presenceListener.changed(local.roomId, participantId, true);
            }
            case AWAY -> presenceListener.changed(local.roomId, participantId, false);
            case LEFT -> closeAll(local, participantId, 1000, "Left the room");
            case REMOVED -> closeAll(local, participantId, CLOSE_REMOVED, "Removed by the facilitator");
            default -> throw new IllegalStateException("Unknown change " + membership.change());
        }
    }

    /**
     * A participant who comes back online after this member's welcome did so on another connection
     * (maybe on another node): this one is stale, and must not mark them away when it closes.
     */
    private void closeReplaced(LocalRoom local, String participantId, long version) {
        for (Member member : local.members) {
            if (member.participantId.equals(participantId) && member.welcomeVersion < version) {
                member.replaced = true;
                close(member, CLOSE_REPLACED, "Resumed on another connection");
            }
        }
    }

    private void closeAll(LocalRoom local, String participantId, int code, String reason) {
        for (Member member : local.members) {
            if (member.participantId.equals(participantId)) {
                close(member, code, reason);
            }
        }
    }
}

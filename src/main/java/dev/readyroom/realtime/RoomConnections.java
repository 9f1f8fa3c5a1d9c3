package dev.readyroom.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The room members connected to this node, and their room's subscription on the bus: a room is
 * subscribed while it has a local member. Each event arrives serialized once; every local member
 * gets the same text. Never the endpoint-wide broadcast, which would reach every room.
 */
@ApplicationScoped
public class RoomConnections {
    private static final Logger LOG = Logger.getLogger(RoomConnections.class);
    static final int CLOSE_REMOVED = 4403;
    static final int CLOSE_REPLACED = 4409;

    private final RoomBus bus;
    private final ObjectMapper mapper;
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();

    public RoomConnections(RoomBus bus, ObjectMapper mapper, MeterRegistry metrics) {
        this.bus = bus;
        this.mapper = mapper;
        metrics.gauge("readyroom.connections", connections);
        metrics.gauge("readyroom.rooms.active", rooms, Map::size);
    }

    /** A joined connection. It gets the room's events with a version above {@code afterVersion}. */
    public static final class Member {
        final WebSocketConnection connection;
        final String participantId;
        volatile long afterVersion;

        Member(WebSocketConnection connection, String participantId, long afterVersion) {
            this.connection = connection;
            this.participantId = participantId;
            this.afterVersion = afterVersion;
        }

        public String participantId() {
            return participantId;
        }
    }

    private final class LocalRoom {
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        RoomBus.Subscription subscription;
    }

    public Member add(String roomId, WebSocketConnection connection, String participantId, long afterVersion) {
        Member member = new Member(connection, participantId, afterVersion);
        rooms.compute(roomId, (id, room) -> {
            LocalRoom local = room == null ? new LocalRoom() : room;
            if (local.subscription == null) {
                local.subscription = bus.subscribe(roomId, event -> deliver(local, event));
            }
            local.members.add(member);
            return local;
        });
        connections.incrementAndGet();
        return member;
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
        member.connection.close(new CloseReason(code, reason)).subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Closing a connection failed: %s", failure.getMessage()));
    }

    public int connectionCount() {
        return connections.get();
    }

    private void deliver(LocalRoom local, PublishedEvent event) {
        for (Member member : local.members) {
            if (event.version() > member.afterVersion) {
                member.afterVersion = event.version();
                member.connection.sendText(event.json()).subscribe().with(ignored -> {
                }, failure -> LOG.debugf("A send to a closing connection failed: %s", failure.getMessage()));
            }
        }
        if ("participant.left".equals(event.type())) {
            closeDeparted(local, event);
        }
    }

    private void closeDeparted(LocalRoom local, PublishedEvent event) {
        try {
            JsonNode left = mapper.readTree(event.json());
            String participantId = left.path("participantId").asText();
            boolean removed = "removed".equals(left.path("reason").asText());
            for (Member member : local.members) {
                if (member.participantId.equals(participantId)) {
                    close(member, removed ? CLOSE_REMOVED : 1000,
                            removed ? "Removed by the facilitator" : "Left the room");
                }
            }
        } catch (Exception e) {
            LOG.warnf("Could not read a participant.left event: %s", e.getMessage());
        }
    }
}

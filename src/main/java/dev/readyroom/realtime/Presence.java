package dev.readyroom.realtime;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Participant;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.NodeIdentity;
import dev.readyroom.live.NodeLiveness;
import dev.readyroom.live.Polling;
import dev.readyroom.live.RoomService;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Who is online: a connection that closes shows its participant away for the grace period, then
 * they leave (expired); a node that died has its participants shown away by the others; a node
 * that stops closes its connections as going away.
 */
@ApplicationScoped
public class Presence {
    private static final Logger LOG = Logger.getLogger(Presence.class);
    static final int CLOSE_GOING_AWAY = 1001;

    private final RoomService rooms;
    private final RoomConnections connections;
    private final ReadyRoomConfig config;
    private final Vertx vertx;
    private final OpenConnections openConnections;
    /** Pending expiry timers of away participants, by room and participant. */
    private final Map<String, Long> expiryTimers = new ConcurrentHashMap<>();
    /** Presence updates of closed connections not finished yet (see {@link #leaveBeforeStop}). */
    private final AtomicInteger disconnecting = new AtomicInteger();

    public Presence(RoomService rooms, RoomConnections connections, ReadyRoomConfig config, Vertx vertx,
            OpenConnections openConnections, NodeLiveness liveness) {
        this.rooms = rooms;
        this.connections = connections;
        this.config = config;
        this.vertx = vertx;
        this.openConnections = openConnections;
        connections.onPresence(this::presenceSeen);
        liveness.listen(new NodeLiveness.Listener() {
            @Override
            public Uni<Void> nodeGone(String nodeId, String roomId) {
                return Presence.this.nodeGone(nodeId, roomId);
            }

            @Override
            public void givenUpForDead() {
                Presence.this.givenUpForDead();
            }
        });
    }

    /** The connection closed: its participant is away, unless they are online on another connection. */
    public Uni<Void> closed(WebSocketConnection connection) {
        ConnectionState state = ConnectionState.of(connection);
        if (state == null) {
            return Uni.createFrom().voidItem();
        }
        return depart(state).onTermination().invoke(() -> state.departed = true);
    }

    private Uni<Void> depart(ConnectionState state) {
        if (state.member == null) {
            return Uni.createFrom().voidItem();
        }
        state.closed = true;
        RoomConnections.Member member = state.member;
        connections.remove(state.roomId, member);
        if (member.replaced() || !connections.othersOf(state.roomId, member.participantId(), member).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return disconnect(state.roomId, member.participantId(), state.name);
    }

    /**
     * Shows {@code participantId} away, unless they are online on another connection than
     * {@code connection} by now, and starts their grace period.
     */
    private Uni<Void> disconnect(String roomId, String participantId, String connection) {
        disconnecting.incrementAndGet();
        return rooms.submit(roomId, new RoomCommand.Disconnect(participantId, connection), Actor.SYSTEM, null)
                .invoke(outcome -> {
                    if (outcome instanceof CommandOutcome.Committed) {
                        scheduleExpiry(roomId, participantId);
                    }
                })
                .onFailure().invoke(e -> LOG.debugf("Presence update failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .onTermination().invoke(disconnecting::decrementAndGet)
                .replaceWithVoid();
    }

    /** The node {@code nodeId} died: whoever it held online in {@code roomId} is away now. */
    private Uni<Void> nodeGone(String nodeId, String roomId) {
        return rooms.store().load(roomId).flatMap(room -> {
            if (room == null) {
                return Uni.createFrom().voidItem();
            }
            List<Participant> held = room.state().participants().values().stream()
                    .filter(p -> p.online() && NodeIdentity.isOn(p.connection(), nodeId)).toList();
            return Multi.createFrom().iterable(held)
                    .onItem().transformToUniAndConcatenate(p -> disconnect(roomId, p.id(), p.connection()))
                    .collect().last().replaceWithVoid();
        });
    }

    /**
     * The other nodes showed this node's participants away (see {@link NodeLiveness}): each
     * connection starts over, and its client resumes, online again.
     */
    private void givenUpForDead() {
        for (WebSocketConnection connection : openConnections) {
            ConnectionState state = ConnectionState.of(connection);
            if (state != null && state.joined()) {
                // Its drop is refused by the room, unless the participant is still online on it.
                state.out.close(RoomConnections.CLOSE_START_OVER, "Connect again");
            }
        }
    }

    /**
     * Part of the node's stop, after {@link RoomService#stopTakingChanges}: closes every connection
     * as going away (1001), so clients resume elsewhere or after the restart, and waits until each
     * participant is shown away to the rest of the room (on other nodes, through the live store,
     * which must still be open), for {@code timeout} at most. Returns how many it closed.
     */
    public int leaveBeforeStop(Duration timeout) throws InterruptedException {
        // A closed connection leaves the open ones before its close is handled: wait for each.
        List<ConnectionState> leaving = new ArrayList<>();
        for (WebSocketConnection connection : openConnections) {
            ConnectionState state = ConnectionState.of(connection);
            if (state != null) {
                leaving.add(state);
                state.out.close(CLOSE_GOING_AWAY, "This server is stopping; reconnect");
            } else {
                connection.close(new CloseReason(CLOSE_GOING_AWAY, "This server is stopping; reconnect"))
                        .subscribe().with(ignored -> {
                        }, failure -> LOG.debugf("Closing a connection failed: %s", failure.getMessage()));
            }
        }
        if (!Polling.until(() -> openConnections.listAll().isEmpty() && leaving.stream().allMatch(s -> s.departed)
                && disconnecting.get() == 0, timeout, 20)) {
            LOG.warnf("Stopping with %d connections open and %d of %d closes unhandled",
                    openConnections.listAll().size(), leaving.stream().filter(s -> !s.departed).count(),
                    leaving.size());
        }
        return leaving.size();
    }

    /** A participant joined or resumed here: no grace period runs for them any more. */
    void cameBack(String roomId, String participantId) {
        cancelExpiry(roomId, participantId);
    }

    /** Whoever is away in a room may have gone on a node that has stopped since, its timers with it. */
    void watchAway(String roomId, Iterable<Participant> participants) {
        for (Participant participant : participants) {
            if (!participant.online()) {
                armExpiryUnlessArmed(roomId, participant.id());
            }
        }
    }

    /** The connection that dropped was here: the grace period starts now, replacing any timer. */
    private void scheduleExpiry(String roomId, String participantId) {
        Long previous = expiryTimers.put(expiryKey(roomId, participantId), expiryTimer(roomId, participantId));
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    /**
     * Every node with members in a room keeps its own expiry timer for each away participant, so an
     * away participant still leaves when the node whose connection dropped stops (its timers die
     * with it). The room takes the first Expire; the others are refused, and a participant who came
     * back refuses them all.
     */
    private void presenceSeen(String roomId, String participantId, boolean online) {
        if (online) {
            cancelExpiry(roomId, participantId);
        } else {
            armExpiryUnlessArmed(roomId, participantId);
        }
    }

    private void armExpiryUnlessArmed(String roomId, String participantId) {
        expiryTimers.computeIfAbsent(expiryKey(roomId, participantId), key -> expiryTimer(roomId, participantId));
    }

    private long expiryTimer(String roomId, String participantId) {
        long delay = Math.max(1, config.presence().gracePeriod().toMillis());
        return vertx.setTimer(delay, id -> {
            expiryTimers.remove(expiryKey(roomId, participantId), id);
            rooms.submit(roomId, new RoomCommand.Expire(participantId), Actor.SYSTEM, null)
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.debugf("Expiry failed: %s", failure.getMessage()));
        });
    }

    private static String expiryKey(String roomId, String participantId) {
        return roomId + "/" + participantId;
    }

    private void cancelExpiry(String roomId, String participantId) {
        Long timer = expiryTimers.remove(expiryKey(roomId, participantId));
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}

package dev.readyroom.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Participant;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.LiveStoreUnavailableException;
import dev.readyroom.live.NodeIdentity;
import dev.readyroom.live.NodeLiveness;
import dev.readyroom.live.Polling;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.ServerStoppingException;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import dev.readyroom.realtime.InboundMessage.Command;
import dev.readyroom.realtime.InboundMessage.Join;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The protocol of one room connection: join (or resume), then commands answered with ack or
 * error; presence when the connection drops.
 */
@ApplicationScoped
public class RoomSessions {
    private static final Logger LOG = Logger.getLogger(RoomSessions.class);
    private static final TypedKey<ConnectionState> STATE = new TypedKey<>("readyroom.state");
    static final int CLOSE_ROOM_GONE = 4404;
    static final int CLOSE_GOING_AWAY = 1001;
    private static final int MAX_REJECTED_IN_A_ROW = 200;

    private final RoomService rooms;
    private final RoomConnections connections;
    private final MessageParser parser;
    private final WireFormat wire;
    private final ReadyRoomConfig config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final Counter slowReadersClosed;
    /** Pending expiry timers of away participants, by room and participant. */
    private final Map<String, Long> expiryTimers = new ConcurrentHashMap<>();
    /** Presence updates of closed connections not finished yet (see {@link #leaveBeforeStop}). */
    private final AtomicInteger disconnecting = new AtomicInteger();
    private final OpenConnections openConnections;
    private final NodeIdentity node;

    public RoomSessions(RoomService rooms, RoomConnections connections, MessageParser parser, WireFormat wire,
            ReadyRoomConfig config, Vertx vertx, MeterRegistry metrics, OpenConnections openConnections,
            NodeIdentity node, NodeLiveness liveness) {
        this.openConnections = openConnections;
        this.node = node;
        this.rooms = rooms;
        this.connections = connections;
        this.parser = parser;
        this.wire = wire;
        this.config = config;
        this.vertx = vertx;
        this.metrics = metrics;
        this.slowReadersClosed = metrics.counter("readyroom.slow.readers.closed");
        connections.onPresence(this::presenceSeen);
        liveness.listen(new NodeLiveness.Listener() {
            @Override
            public Uni<Void> nodeGone(String nodeId, String roomId) {
                return RoomSessions.this.nodeGone(nodeId, roomId);
            }

            @Override
            public void givenUpForDead() {
                RoomSessions.this.givenUpForDead();
            }
        });
    }

    public void opened(WebSocketConnection connection, String roomId) {
        RateLimiter limiter = new RateLimiter(config.limits().messagesPerSecond(), System.nanoTime());
        connection.userData().put(STATE, new ConnectionState(node.nextConnection(), roomId, limiter,
                Outbound.of(connection, config.websocket().slowReaderLimit(), slowReadersClosed)));
    }

    public Uni<Void> received(WebSocketConnection connection, String text) {
        ConnectionState state = connection.userData().get(STATE);
        if (state == null || state.closed) {
            return Uni.createFrom().voidItem();
        }
        if (!state.rateLimiter.tryAcquire(System.nanoTime())) {
            return refuse(connection, state, null, "rate_limited",
                    "Too many messages; at most " + config.limits().messagesPerSecond() + " a second.");
        }
        if (isTooLarge(text)) {
            return refuse(connection, state, null, "too_large",
                    "A message is at most " + config.limits().maxMessageBytes() + " bytes.");
        }
        JsonNode node = null;
        try {
            node = parser.read(text);
            InboundMessage message = parser.parse(node);
            if (message instanceof Join join) {
                return join(connection, state, join);
            }
            if (!state.joined()) {
                return refuse(connection, state, MessageParser.opIdOf(node), "not_joined", "Join the room first.");
            }
            return command(connection, state, (Command) message);
        } catch (ProtocolException e) {
            return refuse(connection, state, MessageParser.opIdOf(node), e.code(), e.getMessage());
        }
    }

    private boolean isTooLarge(String text) {
        int max = config.limits().maxMessageBytes();
        if (text.length() > max) {
            return true;
        }
        return text.length() * 3L > max && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private Uni<Void> refuse(WebSocketConnection connection, ConnectionState state, String opId, String code,
            String message) {
        metrics.counter("readyroom.messages.refused", "code", code).increment();
        // A client that only sends garbage is cut off rather than answered forever.
        if (++state.rejectedInARow > MAX_REJECTED_IN_A_ROW) {
            state.closed = true;
            return connection.close(new CloseReason(1008, "Too many invalid messages"));
        }
        return send(state, wire.error(opId, code, message));
    }

    private Uni<Void> join(WebSocketConnection connection, ConnectionState state, Join join) {
        if (state.joined() || state.joining) {
            return refuse(connection, state, null, "already_joined", "This connection has joined already.");
        }
        state.joining = true;
        return rooms.inLane(state.roomId, () -> joinInLane(connection, state, join))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Join failed: %s", failure.getMessage());
                    return wire.error(null, "unavailable", "The room is not reachable right now; try again.");
                })
                .flatMap(error -> {
                    state.joining = false;
                    if (error == null) {
                        state.rejectedInARow = 0;
                        return Uni.createFrom().voidItem();
                    }
                    return send(state, error);
                });
    }

    /** Returns null when joined, or the error to send. */
    private Uni<String> joinInLane(WebSocketConnection connection, ConnectionState state, Join join) {
        return rooms.find(state.roomId).flatMap(room -> {
            if (room == null) {
                state.closed = true;
                return connection.close(new CloseReason(CLOSE_ROOM_GONE, "This room does not exist"))
                        .replaceWith((String) null);
            }
            boolean claimsFacilitator = join.facilitatorKey() != null;
            if (claimsFacilitator && !Secrets.matches(join.facilitatorKey(), room.state().facilitatorKeyHash())) {
                return Uni.createFrom().item(wire.error(null, "invalid_key", "That facilitator key is not this room's."));
            }
            String resumed = join.resume() == null ? null : room.state()
                    .participantByTokenHash(Secrets.hash(join.resume().token())).map(p -> p.id()).orElse(null);
            String token = resumed != null ? join.resume().token() : Secrets.key();
            String participantId = resumed != null ? resumed : Secrets.participantId();
            RoomCommand entry = resumed != null ? new RoomCommand.Reconnect(participantId, state.name)
                    : new RoomCommand.Join(participantId, join.name(), Role.fromWire(join.role()).orElseThrow(),
                            Secrets.hash(token), state.name);
            return rooms.execute(state.roomId, entry, Actor.SYSTEM, null).flatMap(outcome -> {
                if (!(outcome instanceof CommandOutcome.Committed committed)) {
                    return Uni.createFrom().item(outcome.reply() == null
                            ? wire.error(null, "unavailable", "Try again.") : outcome.reply());
                }
                cancelExpiry(state.roomId, participantId);
                Uni<StoredRoom> current = Uni.createFrom().item(committed.room());
                if (claimsFacilitator && !committed.room().state().isFacilitator(participantId)) {
                    current = rooms.execute(state.roomId, new RoomCommand.ClaimFacilitator(participantId),
                            Actor.SYSTEM, null).map(claim -> claim instanceof CommandOutcome.Committed c
                                    ? c.room() : committed.room());
                }
                return current.flatMap(latest -> welcome(connection, state, join, latest, participantId, token,
                        resumed != null));
            });
        });
    }

    private Uni<String> welcome(WebSocketConnection connection, ConnectionState state, Join join, StoredRoom room,
            String participantId, String token, boolean resumed) {
        RoomState current = room.state();
        Uni<List<PublishedEvent>> missed = Uni.createFrom().nullItem();
        if (resumed && join.resume().version() != null && room.epoch().equals(join.resume().epoch())) {
            missed = rooms.store().eventsAfter(state.roomId, room.epoch(), join.resume().version());
        }
        return missed.flatMap(events -> {
            RoomConnections.Member member = connections.add(state.roomId, room.epoch(), state.out, participantId,
                    current.version(), () -> greet(state.out, join, room, participantId, token, events));
            state.member = member;
            for (RoomConnections.Member other : connections.othersOf(state.roomId, participantId, member)) {
                connections.close(other, RoomConnections.CLOSE_REPLACED, "Resumed on another connection");
            }
            // Whoever is away here may have gone on a node that has stopped since, its timers with it.
            for (Participant participant : current.participants().values()) {
                if (!participant.online()) {
                    armExpiryUnlessArmed(state.roomId, participant.id());
                }
            }
            return Uni.createFrom().<String>nullItem();
        });
    }

    /** The welcome, and on a resume the events the client missed up to the welcome's state. */
    private void greet(Outbound out, Join join, StoredRoom room, String participantId, String token,
            List<PublishedEvent> missed) {
        RoomState current = room.state();
        if (missed == null) {
            out.send(wire.welcome(current, participantId, token, room.epoch(), true, current.version()));
            return;
        }
        // The client's state at resume.version is still good: send only what it missed.
        out.send(wire.welcome(current, participantId, token, room.epoch(), false, join.resume().version()));
        for (PublishedEvent event : missed) {
            if (event.version() <= current.version()) {
                out.send(event.json());
            }
        }
    }

    private Uni<Void> command(WebSocketConnection connection, ConnectionState state, Command message) {
        String participantId = state.member.participantId();
        if (rooms.immediate()) {
            // The sender is a member too: its copy of the event and its ack leave in one write.
            state.out.cork();
            try {
                String reply;
                try {
                    CommandOutcome outcome = rooms.executeNow(state.roomId, message.command(),
                            Actor.participant(participantId), message.opId());
                    autoRevealNowIfDue(state.roomId, outcome);
                    reply = answered(state, outcome);
                } catch (LiveStoreUnavailableException e) {
                    reply = unsaved(message, e);
                }
                return send(state, reply);
            } finally {
                state.out.uncork();
            }
        }
        return rooms.inLane(state.roomId, () -> rooms.execute(state.roomId, message.command(),
                        Actor.participant(participantId), message.opId())
                        .call(outcome -> autoRevealIfDue(state.roomId, outcome)))
                .map(outcome -> answered(state, outcome))
                .onFailure().recoverWithItem(failure -> unsaved(message, failure))
                .flatMap(reply -> send(state, reply));
    }

    /** The reply to the sender; a run of rejections ends the connection (see {@link #refuse}). */
    private static String answered(ConnectionState state, CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Rejected) {
            state.rejectedInARow++;
        } else {
            state.rejectedInARow = 0;
        }
        return outcome.reply();
    }

    private String unsaved(Command message, Throwable failure) {
        LOG.debugf("Command %s failed: %s", message.command().type(), failure.getMessage());
        return wire.error(message.opId(), "unavailable", failure instanceof ServerStoppingException
                ? "This server is stopping; reconnect and retry with the same opId."
                : "The change could not be saved in time; retry with the same opId.");
    }

    /** With auto-reveal on, the round reveals itself once every voter has voted. */
    private Uni<?> autoRevealIfDue(String roomId, CommandOutcome outcome) {
        return revealDue(outcome) ? rooms.execute(roomId, new RoomCommand.Reveal(), Actor.SYSTEM, null)
                : Uni.createFrom().voidItem();
    }

    /** {@link #autoRevealIfDue} on an immediate store. A reveal that fails leaves the vote saved. */
    private void autoRevealNowIfDue(String roomId, CommandOutcome outcome) {
        if (revealDue(outcome)) {
            try {
                rooms.executeNow(roomId, new RoomCommand.Reveal(), Actor.SYSTEM, null);
            } catch (LiveStoreUnavailableException e) {
                LOG.debugf("Auto-reveal failed: %s", e.getMessage());
            }
        }
    }

    private static boolean revealDue(CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Committed committed) {
            RoomState state = committed.room().state();
            return state.settings().autoReveal() && state.everyVoterVoted();
        }
        return false;
    }

    public Uni<Void> closed(WebSocketConnection connection) {
        ConnectionState state = connection.userData().get(STATE);
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
        return rooms.inLane(roomId, () -> rooms.execute(roomId,
                        new RoomCommand.Disconnect(participantId, connection), Actor.SYSTEM, null)
                        .call(outcome -> autoRevealIfDue(roomId, outcome)))
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
            ConnectionState state = connection.userData().get(STATE);
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
            ConnectionState state = connection.userData().get(STATE);
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
            rooms.inLane(roomId, () -> rooms.execute(roomId, new RoomCommand.Expire(participantId), Actor.SYSTEM,
                            null).call(outcome -> autoRevealIfDue(roomId, outcome)))
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

    private static Uni<Void> send(ConnectionState state, String text) {
        state.out.send(text);
        return Uni.createFrom().voidItem();
    }
}

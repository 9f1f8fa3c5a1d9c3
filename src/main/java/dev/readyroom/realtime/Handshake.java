package dev.readyroom.realtime;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import dev.readyroom.realtime.InboundMessage.Join;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * How a connection becomes a room member: {@code join} as someone new, or resume as the same
 * participant with a token; then the {@code welcome}, and on a resume the events the client missed.
 */
@ApplicationScoped
public class Handshake {
    private static final Logger LOG = Logger.getLogger(Handshake.class);
    static final int CLOSE_ROOM_GONE = 4404;

    private final RoomService rooms;
    private final RoomConnections connections;
    private final Presence presence;
    private final WireFormat wire;

    public Handshake(RoomService rooms, RoomConnections connections, Presence presence, WireFormat wire) {
        this.rooms = rooms;
        this.connections = connections;
        this.presence = presence;
        this.wire = wire;
    }

    /** Returns null when joined (the welcome is sent), or the error to send. */
    Uni<String> join(WebSocketConnection connection, ConnectionState state, Join join) {
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
            // A token that names nobody in the room may be one the facilitator removed: the rules check it.
            String presentedTokenHash = resumed == null && join.resume() != null
                    ? Secrets.hash(join.resume().token()) : null;
            RoomCommand entry = resumed != null ? new RoomCommand.Reconnect(participantId, state.name)
                    : new RoomCommand.Join(participantId, join.name(), Role.fromWire(join.role()).orElseThrow(),
                            Secrets.hash(token), state.name, presentedTokenHash, System.currentTimeMillis());
            return rooms.submit(state.roomId, entry, Actor.SYSTEM, null).flatMap(outcome -> {
                if (outcome instanceof CommandOutcome.Rejected rejected && rejected.code().equals("removed")) {
                    state.closed = true;
                    state.send(rejected.reply());
                    return connection.close(new CloseReason(RoomConnections.CLOSE_REMOVED, "Removed by the facilitator"))
                            .replaceWith((String) null);
                }
                if (!(outcome instanceof CommandOutcome.Committed committed)) {
                    return Uni.createFrom().item(outcome.reply() == null
                            ? wire.error(null, "unavailable", "Try again.") : outcome.reply());
                }
                presence.cameBack(state.roomId, participantId);
                Uni<StoredRoom> current = Uni.createFrom().item(committed.room());
                if (claimsFacilitator && !committed.room().state().isFacilitator(participantId)) {
                    current = rooms.submit(state.roomId, new RoomCommand.ClaimFacilitator(participantId),
                            Actor.SYSTEM, null).map(claim -> claim instanceof CommandOutcome.Committed c
                                    ? c.room() : committed.room());
                }
                return current.flatMap(latest -> welcome(state, join, latest, participantId, token,
                        resumed != null));
            });
        }).onFailure().recoverWithItem(failure -> {
            LOG.debugf("Join failed: %s", failure.getMessage());
            return wire.error(null, "unavailable", "The room is not reachable right now; try again.");
        });
    }

    private Uni<String> welcome(ConnectionState state, Join join, StoredRoom room, String participantId, String token,
            boolean resumed) {
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
            presence.watchAway(state.roomId, current.participants().values());
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
}

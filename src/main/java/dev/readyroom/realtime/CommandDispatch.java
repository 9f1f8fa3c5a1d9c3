package dev.readyroom.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.readyroom.admission.ParticipantRates;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.CommandReply;
import dev.readyroom.live.LiveStoreUnavailableException;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.ServerStoppingException;
import dev.readyroom.live.WireFormat;
import dev.readyroom.realtime.InboundMessage.Command;
import dev.readyroom.realtime.InboundMessage.Join;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Every text message of a room socket: checked against the limits, parsed, then handed to the
 * {@link Handshake} (a {@code join}) or to the room as a command, and answered with an {@code ack}
 * or an {@code error}.
 */
@ApplicationScoped
public class CommandDispatch {
    private static final Logger LOG = Logger.getLogger(CommandDispatch.class);
    private static final int MAX_REJECTED_IN_A_ROW = 200;

    private final RoomService rooms;
    private final Handshake handshake;
    private final MessageParser parser;
    private final WireFormat wire;
    private final ReadyRoomConfig config;
    private final MeterRegistry metrics;
    private final ParticipantRates participantRates;

    public CommandDispatch(RoomService rooms, Handshake handshake, MessageParser parser, WireFormat wire,
            ReadyRoomConfig config, MeterRegistry metrics, ParticipantRates participantRates) {
        this.participantRates = participantRates;
        this.rooms = rooms;
        this.handshake = handshake;
        this.parser = parser;
        this.wire = wire;
        this.config = config;
        this.metrics = metrics;
    }

    /** Completes once the message is answered: a connection's messages are handled one at a time. */
    public Uni<Void> received(WebSocketConnection connection, String text) {
        ConnectionState state = ConnectionState.of(connection);
        if (state == null || state.closed) {
            return Uni.createFrom().voidItem();
        }
        if (!state.rateLimiter.tryAcquire(System.nanoTime())) {
            return refuse(connection, state, null, "rate_limited",
                    "Too many messages; at most " + config.limits().messagesPerSecond() + " a second after a burst of "
                            + config.limits().messageBurst() + ".");
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
            if (!participantRates.tryAcquire(state.roomId, state.member.participantId())) {
                return refuse(connection, state, MessageParser.opIdOf(node), "rate_limited", "Too many commands; at most "
                        + config.limits().messagesPerSecond() + " a second, over all your connections.");
            }
            return command(state, (Command) message);
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
        state.send(wire.error(opId, code, message));
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> join(WebSocketConnection connection, ConnectionState state, Join join) {
        if (state.joined() || state.joining) {
            return refuse(connection, state, null, "already_joined", "This connection has joined already.");
        }
        state.joining = true;
        return handshake.join(connection, state, join).map(error -> {
            state.joining = false;
            if (error == null) {
                state.rejectedInARow = 0;
            } else {
                state.send(error);
            }
            return null;
        });
    }

    private Uni<Void> command(ConnectionState state, Command message) {
        Answer answer = new Answer(state, message);
        // The sender is a member too: when the store answers at once, the command's event and its
        // ack leave in one write.
        state.out.cork();
        try {
            rooms.submit(state.roomId, withTime(message.command()), Actor.participant(state.member.participantId()),
                    message.opId(), answer);
        } finally {
            state.out.uncork();
        }
        return answer.sent();
    }

    /**
     * The rules are pure: a removal is told here until when the removed person stays out, and a
     * timebox the server clock's time.
     */
    private RoomCommand withTime(RoomCommand command) {
        if (command instanceof RoomCommand.RemoveParticipant remove) {
            return remove.keptOutUntil(System.currentTimeMillis() + config.presence().removedKeptOutFor().toMillis());
        }
        if (command instanceof RoomCommand.StartTimebox start) {
            return start.at(System.currentTimeMillis());
        }
        if (command instanceof RoomCommand.StopTimebox stop) {
            return stop.at(System.currentTimeMillis());
        }
        return command;
    }

    /** Sends the reply to a command's sender; a run of rejections ends the connection (see {@link #refuse}). */
    private final class Answer implements CommandReply {
        private final ConnectionState state;
        private final Command message;
        private final CompletableFuture<Void> sent = new CompletableFuture<>();

        Answer(ConnectionState state, Command message) {
            this.state = state;
            this.message = message;
        }

        @Override
        public void outcome(CommandOutcome outcome) {
            if (outcome instanceof CommandOutcome.Rejected) {
                state.rejectedInARow++;
            } else {
                state.rejectedInARow = 0;
            }
            send(outcome.reply());
        }

        @Override
        public void failed(LiveStoreUnavailableException failure) {
            LOG.debugf("Command %s failed: %s", message.command().type(), failure.getMessage());
            send(wire.error(message.opId(), "unavailable", failure instanceof ServerStoppingException
                    ? "This server is stopping; reconnect and retry with the same opId."
                    : "The change could not be saved in time; retry with the same opId."));
        }

        private void send(String reply) {
            state.send(reply);
            sent.complete(null);
        }

        Uni<Void> sent() {
            return sent.isDone() ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(sent);
        }
    }
}

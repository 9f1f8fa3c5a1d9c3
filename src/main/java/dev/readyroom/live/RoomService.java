package dev.readyroom.live;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.Deck;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomEvent;
import dev.readyroom.domain.RoomEvent.VoteCast;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView.VoteView;
import dev.readyroom.domain.Settings;
import dev.readyroom.record.RecordEntries;
import dev.readyroom.record.RecordOutbox;
import dev.readyroom.record.RoomRebuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs commands against rooms: decide on the current state, apply, commit with the expected
 * version, and on a conflict (another node committed first) decide again on the fresh state.
 */
@ApplicationScoped
public class RoomService {
    private static final Logger LOG = Logger.getLogger(RoomService.class);
    private static final int MAX_ATTEMPTS = 5;

    private final RoomStore store;
    private final WireFormat wire;
    private final ReadyRoomConfig config;
    private final MeterRegistry metrics;
    private final RoomSequencer sequencer = new RoomSequencer();
    private final RecordOutbox outbox;
    private final RecordEntries entries;
    private final RoomRebuilder rebuilder;

    public RoomService(RoomStore store, WireFormat wire, ReadyRoomConfig config, MeterRegistry metrics,
            RecordOutbox outbox, RecordEntries entries, RoomRebuilder rebuilder) {
        this.store = store;
        this.wire = wire;
        this.config = config;
        this.metrics = metrics;
        this.outbox = outbox;
        this.entries = entries;
        this.rebuilder = rebuilder;
        metrics.gauge("readyroom.rooms", store, RoomStore::roomCount);
    }

    public record CreatedRoom(RoomState state, String facilitatorKey) {
    }

    public Uni<CreatedRoom> create(String name, Deck deck, Settings settings) {
        if (store.roomCount() >= config.limits().maxRooms()) {
            return Uni.createFrom().failure(new LiveStoreUnavailableException("This service holds its maximum of rooms.", null));
        }
        String key = Secrets.key();
        RoomState state = RoomState.create(Secrets.roomId(), name, deck, settings, Secrets.hash(key),
                config.limits().maxParticipants());
        String epoch = Secrets.epoch();
        return store.create(state, epoch)
                .map(created -> {
                    if (!created) {
                        throw new IllegalStateException("A random 128-bit room id collided");
                    }
                    outbox.append(entries.roomCreated(state, epoch));
                    return new CreatedRoom(state, key);
                });
    }

    /** The room, rebuilt from the durable record if the live store lost it; null if unknown to both. */
    public Uni<StoredRoom> find(String roomId) {
        return store.load(roomId).flatMap(room -> room != null ? Uni.createFrom().item(room) : restore(roomId));
    }

    /** Under a new epoch, so clients know their state is from another life of the room. */
    private Uni<StoredRoom> restore(String roomId) {
        return rebuilder.restore(roomId).flatMap(state -> {
            if (state == null) {
                return Uni.createFrom().nullItem();
            }
            // If another request rebuilt it first, create returns false and both load the same room.
            return store.create(state, Secrets.epoch()).flatMap(created -> store.load(roomId));
        });
    }

    public RoomStore store() {
        return store;
    }

    /** Runs {@code work} after every earlier piece of work of this room on this node has finished. */
    public <T> Uni<T> inLane(String roomId, Supplier<Uni<T>> work) {
        return sequencer.submit(roomId, () -> work.get()
                .ifNoItem().after(config.live().commitTimeout().multipliedBy(2))
                .failWith(() -> new LiveStoreUnavailableException("Timed out", null)));
    }

    /**
     * Decides and commits one command. Call it inside {@link #inLane}. {@code opId} (may be null for
     * the service's own commands) makes a retry answer with the original reply.
     */
    public Uni<CommandOutcome> execute(String roomId, RoomCommand command, Actor actor, String opId) {
        Timer.Sample sample = Timer.start(metrics);
        String opKey = opId == null ? null : actor.participantId() + ":" + opId;
        Uni<CommandOutcome> decided = opKey == null ? attempt(roomId, command, actor, null, null, 1)
                : store.replyOrRoom(roomId, opKey).flatMap(found -> found.reply() != null
                        ? Uni.createFrom().<CommandOutcome>item(new CommandOutcome.Repeated(found.reply()))
                        : decideAndCommit(found.room(), roomId, command, actor, opId, opKey, 1));
        return decided
                .ifNoItem().after(config.live().commitTimeout())
                .failWith(() -> new LiveStoreUnavailableException("The live store did not answer in time", null))
                .onFailure(e -> !(e instanceof LiveStoreUnavailableException))
                .transform(e -> new LiveStoreUnavailableException("The live store failed", e))
                .invoke(outcome -> record(sample, command, outcome))
                .onFailure().invoke(e -> {
                    LOG.warnf("Command %s in a room failed: %s", command.type(), e.getMessage());
                    record(sample, command, null);
                });
    }

    private Uni<CommandOutcome> attempt(String roomId, RoomCommand command, Actor actor, String opId, String opKey,
            int attempt) {
        return store.load(roomId).flatMap(room -> decideAndCommit(room, roomId, command, actor, opId, opKey, attempt));
    }

    private Uni<CommandOutcome> decideAndCommit(StoredRoom room, String roomId, RoomCommand command, Actor actor,
            String opId, String opKey, int attempt) {
        if (room == null) {
            return Uni.createFrom().item(rejected("room_not_found", "This room does not exist.", opId));
        }
        Decision decision = RoomRules.decide(room.state(), command, actor);
        if (decision instanceof Decision.Rejected rejection) {
            CommandOutcome outcome = rejected(rejection.code(), rejection.message(), opId);
            return opKey == null ? Uni.createFrom().item(outcome)
                    : store.rememberReply(roomId, opKey, outcome.reply()).replaceWith(outcome);
        }
        RoomEvent event = ((Decision.Accepted) decision).event();
        RoomState next = RoomRules.apply(room.state(), event);
        PublishedEvent published = wire.event(event, next, room.epoch());
        String reply = opId == null ? null : wire.ack(opId, next.version(), ownVote(event));
        return store.commit(room.state().version(), next, published, opKey, reply).flatMap(committed -> {
            if (committed) {
                outbox.append(published);
                return Uni.createFrom().<CommandOutcome>item(new CommandOutcome.Committed(
                        new StoredRoom(next, room.epoch()), event, published, reply));
            }
            if (attempt >= MAX_ATTEMPTS) {
                return Uni.createFrom().failure(
                        new LiveStoreUnavailableException("Too many concurrent changes to this room", null));
            }
            return attempt(roomId, command, actor, opId, opKey, attempt + 1);
        });
    }

    private CommandOutcome rejected(String code, String message, String opId) {
        return new CommandOutcome.Rejected(code, message, wire.error(opId, code, message));
    }

    private static VoteView ownVote(RoomEvent event) {
        return event instanceof VoteCast cast ? VoteView.of(cast.vote()) : null;
    }

    private void record(Timer.Sample sample, RoomCommand command, CommandOutcome outcome) {
        String result = outcome == null ? "unavailable"
                : outcome instanceof CommandOutcome.Committed ? "committed"
                : outcome instanceof CommandOutcome.Repeated ? "repeated" : "rejected";
        sample.stop(metrics.timer("readyroom.commands", "type", command.type(), "outcome", result));
    }
}

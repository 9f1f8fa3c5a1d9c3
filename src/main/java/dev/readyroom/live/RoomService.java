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
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ImmediateRoomStore immediate;
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
    /** Changes being decided and committed now: the stop writes the record once none is left. */
    private final AtomicInteger changesUnderWay = new AtomicInteger();
    private volatile boolean stopping;
    private final ThrottledWarning commandFailures = new ThrottledWarning(Duration.ofSeconds(1), System::nanoTime,
            LOG::warn);

    public RoomService(RoomStore store, WireFormat wire, ReadyRoomConfig config, MeterRegistry metrics,
            RecordOutbox outbox, RecordEntries entries, RoomRebuilder rebuilder) {
        this.store = store;
        this.wire = wire;
        this.config = config;
        this.metrics = metrics;
        this.outbox = outbox;
        this.entries = entries;
        this.rebuilder = rebuilder;
        this.immediate = store instanceof ImmediateRoomStore memory ? memory : null;
        metrics.gauge("readyroom.rooms", store, RoomStore::roomCount);
    }

    public record CreatedRoom(RoomState state, String facilitatorKey) {
    }

    public Uni<CreatedRoom> create(String name, Deck deck, Settings settings) {
        return Uni.createFrom().deferred(() -> {
            if (!admit(null, Actor.SYSTEM)) {
                return Uni.createFrom().failure(new ServerStoppingException());
            }
            if (store.roomCount() >= config.limits().maxRooms()) {
                changesUnderWay.decrementAndGet();
                return Uni.createFrom().failure(
                        new LiveStoreUnavailableException("This service holds its maximum of rooms.", null));
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
                    })
                    .onTermination().invoke(changesUnderWay::decrementAndGet);
        });
    }

    /**
     * The node begins to stop: from now on a room changes only by the service's own presence
     * bookkeeping (a connection dropped, a grace period passed, the auto-reveal they trigger);
     * everything else is refused with {@link ServerStoppingException}, to be retried elsewhere or
     * after the restart.
     */
    public void stopTakingChanges() {
        stopping = true;
    }

    public boolean takingChanges() {
        return !stopping;
    }

    /** True while a change admitted before {@link #stopTakingChanges} may still be committed. */
    public boolean changesUnderWay() {
        return changesUnderWay.get() > 0;
    }

    /**
     * Counts a change in, or refuses it (uncounted) when the node is stopping. Counting before
     * looking at the flag means the stop, which sets the flag before it reads the count, sees
     * every change that got in.
     */
    private boolean admit(RoomCommand command, Actor actor) {
        changesUnderWay.incrementAndGet();
        if (stopping && !goesOnWhileStopping(command, actor)) {
            changesUnderWay.decrementAndGet();
            return false;
        }
        return true;
    }

    private static boolean goesOnWhileStopping(RoomCommand command, Actor actor) {
        return command instanceof RoomCommand.Disconnect || command instanceof RoomCommand.Expire
                || (actor.isSystem() && command instanceof RoomCommand.Reveal);
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
     * True when the store is this JVM's memory: then {@link #executeNow} decides and commits a
     * command on the caller's thread, and needs no lane (the store's compare-and-set settles the
     * rare race between two event loops).
     */
    public boolean immediate() {
        return immediate != null;
    }

    /**
     * Decides and commits one command. Call it inside {@link #inLane}. {@code opId} (may be null for
     * the service's own commands) makes a retry answer with the original reply.
     */
    public Uni<CommandOutcome> execute(String roomId, RoomCommand command, Actor actor, String opId) {
        if (immediate != null) {
            return Uni.createFrom().item(() -> executeNow(roomId, command, actor, opId));
        }
        return Uni.createFrom().deferred(() -> {
            if (!admit(command, actor)) {
                return Uni.createFrom().failure(new ServerStoppingException());
            }
            long started = System.nanoTime();
            String opKey = opKey(actor, opId);
            Uni<CommandOutcome> decided = opKey == null ? attempt(roomId, command, actor, 1)
                    : decideOnCopy(roomId, command, actor, opId, opKey);
            return decided
                    .ifNoItem().after(config.live().commitTimeout())
                    .failWith(() -> new LiveStoreUnavailableException("The live store did not answer in time", null))
                    .onFailure(e -> !(e instanceof LiveStoreUnavailableException))
                    .transform(e -> new LiveStoreUnavailableException("The live store failed", e))
                    .invoke(outcome -> record(started, command, outcome))
                    .onFailure().invoke(e -> failed(started, command, e))
                    .onTermination().invoke(changesUnderWay::decrementAndGet);
        });
    }

    /**
     * {@link #execute} for an {@link #immediate} store, without a {@link Uni}: the hot path of
     * standalone mode, where the Mutiny operators, their context propagation and the timeout timers
     * of the asynchronous path cost more than the command itself.
     *
     * @throws LiveStoreUnavailableException if the room kept changing under five attempts, or
     *     {@link ServerStoppingException} if the node is stopping
     */
    public CommandOutcome executeNow(String roomId, RoomCommand command, Actor actor, String opId) {
        if (!admit(command, actor)) {
            throw new ServerStoppingException();
        }
        long started = System.nanoTime();
        String opKey = opKey(actor, opId);
        try {
            for (int attempt = 1;; attempt++) {
                StoredRoom room;
                if (opKey == null) {
                    room = immediate.loadNow(roomId);
                } else {
                    RoomStore.ReplyOrRoom found = immediate.replyOrRoomNow(roomId, opKey);
                    if (found.reply() != null) {
                        return record(started, command, new CommandOutcome.Repeated(found.reply()));
                    }
                    room = found.room();
                }
                Verdict verdict = verdict(room, command, actor, opId);
                if (verdict instanceof Refused refused) {
                    if (remembered(opKey, room)) {
                        immediate.rememberReplyNow(roomId, opKey, refused.outcome().reply());
                    }
                    return record(started, command, refused.outcome());
                }
                Change change = (Change) verdict;
                if (immediate.commitNow(room.state().version(), change.next(), change.published(), opKey,
                        change.reply())) {
                    outbox.append(change.published());
                    return record(started, command, change.committed(room));
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw tooManyChanges();
                }
            }
        } catch (RuntimeException e) {
            LiveStoreUnavailableException failure = e instanceof LiveStoreUnavailableException unavailable
                    ? unavailable : new LiveStoreUnavailableException("The live store failed", e);
            failed(started, command, failure);
            throw failure;
        } finally {
            changesUnderWay.decrementAndGet();
        }
    }

    private static String opKey(Actor actor, String opId) {
        return opId == null ? null : actor.participantId() + ":" + opId;
    }

    /** A refusal is kept for the command's retry, unless the command has no id or the room is unknown. */
    private static boolean remembered(String opKey, StoredRoom room) {
        return opKey != null && room != null;
    }

    private static LiveStoreUnavailableException tooManyChanges() {
        return new LiveStoreUnavailableException("Too many concurrent changes to this room", null);
    }

    /** A command without an id (the service's own): decided on the room as the store has it. */
    private Uni<CommandOutcome> attempt(String roomId, RoomCommand command, Actor actor, int attempt) {
        return store.load(roomId).flatMap(room -> {
            Verdict verdict = verdict(room, command, actor, null);
            if (verdict instanceof Refused refused) {
                return Uni.createFrom().item(refused.outcome());
            }
            Change change = (Change) verdict;
            return store.commit(room.state().version(), change.next(), change.published(), null, null)
                    .flatMap(committed -> {
                        if (committed) {
                            outbox.append(change.published());
                            return Uni.createFrom().item(change.committed(room));
                        }
                        return attempt >= MAX_ATTEMPTS ? Uni.createFrom().failure(tooManyChanges())
                                : attempt(roomId, command, actor, attempt + 1);
                    });
        });
    }

    /**
     * A client's command, decided first on this node's copy of the room when the store keeps one:
     * if that copy is current, the command costs one round trip to the store instead of two (read,
     * then commit). A copy that is behind makes the commit answer with the room as it is, and the
     * command is decided again on that.
     */
    private Uni<CommandOutcome> decideOnCopy(String roomId, RoomCommand command, Actor actor, String opId,
            String opKey) {
        StoredRoom copy = store.cached(roomId);
        if (copy != null && verdict(copy, command, actor, opId) instanceof Change change) {
            return commit(copy, change, roomId, command, actor, opId, opKey, 1);
        }
        // No copy, or the rules refuse on it, which may be only because it is behind: ask the store.
        return store.replyOrRoom(roomId, opKey)
                .flatMap(found -> answerOrDecide(found, roomId, command, actor, opId, opKey, 1));
    }

    private Uni<CommandOutcome> answerOrDecide(RoomStore.ReplyOrRoom found, String roomId, RoomCommand command,
            Actor actor, String opId, String opKey, int attempt) {
        if (found.reply() != null) {
            return Uni.createFrom().item(new CommandOutcome.Repeated(found.reply()));
        }
        StoredRoom room = found.room();
        Verdict verdict = verdict(room, command, actor, opId);
        if (verdict instanceof Refused refused) {
            return remembered(opKey, room)
                    ? store.rememberReply(roomId, opKey, refused.outcome().reply()).replaceWith(refused.outcome())
                    : Uni.createFrom().item(refused.outcome());
        }
        return commit(room, (Change) verdict, roomId, command, actor, opId, opKey, attempt);
    }

    private Uni<CommandOutcome> commit(StoredRoom room, Change change, String roomId, RoomCommand command,
            Actor actor, String opId, String opKey, int attempt) {
        return store.commitUnlessAnswered(room.state().version(), change.next(), change.published(), opKey,
                change.reply()).flatMap(result -> {
                    if (result.committed()) {
                        outbox.append(change.published());
                        return Uni.createFrom().<CommandOutcome>item(change.committed(room));
                    }
                    if (attempt >= MAX_ATTEMPTS) {
                        return Uni.createFrom().failure(tooManyChanges());
                    }
                    return answerOrDecide(result.found(), roomId, command, actor, opId, opKey, attempt + 1);
                });
    }

    /** What the rules make of a command on a room (null if unknown): a refusal, or a change to commit. */
    private sealed interface Verdict {
    }

    private record Refused(CommandOutcome.Rejected outcome) implements Verdict {
    }

    private record Change(RoomEvent event, RoomState next, PublishedEvent published, String reply)
            implements Verdict {
        CommandOutcome committed(StoredRoom before) {
            return new CommandOutcome.Committed(new StoredRoom(next, before.epoch()), event, published, reply);
        }
    }

    private Verdict verdict(StoredRoom room, RoomCommand command, Actor actor, String opId) {
        if (room == null) {
            return new Refused(rejected("room_not_found", "This room does not exist.", opId));
        }
        Decision decision = RoomRules.decide(room.state(), command, actor);
        if (decision instanceof Decision.Rejected rejection) {
            return new Refused(rejected(rejection.code(), rejection.message(), opId));
        }
        RoomEvent event = ((Decision.Accepted) decision).event();
        RoomState next = RoomRules.apply(room.state(), event);
        PublishedEvent published = wire.event(event, next, room.epoch());
        String reply = opId == null ? null : wire.ack(opId, next.version(), ownVote(event));
        return new Change(event, next, published, reply);
    }

    private CommandOutcome.Rejected rejected(String code, String message, String opId) {
        return new CommandOutcome.Rejected(code, message, wire.error(opId, code, message));
    }

    private static VoteView ownVote(RoomEvent event) {
        return event instanceof VoteCast cast ? VoteView.of(cast.vote()) : null;
    }

    private CommandOutcome record(long startedNanos, RoomCommand command, CommandOutcome outcome) {
        Outcome result = outcome instanceof CommandOutcome.Committed ? Outcome.COMMITTED
                : outcome instanceof CommandOutcome.Repeated ? Outcome.REPEATED : Outcome.REJECTED;
        timer(command, result).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        return outcome;
    }

    private void failed(long startedNanos, RoomCommand command, Throwable failure) {
        commandFailures.warn("Command " + command.type() + " in a room failed: " + failure.getMessage());
        timer(command, Outcome.UNAVAILABLE).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** The tag values of readyroom.commands' outcome. */
    private enum Outcome {
        COMMITTED, REPEATED, REJECTED, UNAVAILABLE;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** Looked up once per command type and outcome: a registry lookup by tags costs more than the timing. */
    private Timer timer(RoomCommand command, Outcome outcome) {
        Timer[] byOutcome = timers.computeIfAbsent(command.type(), type -> new Timer[Outcome.values().length]);
        Timer timer = byOutcome[outcome.ordinal()];
        if (timer == null) {
            timer = metrics.timer("readyroom.commands", "type", command.type(), "outcome", outcome.tag);
            byOutcome[outcome.ordinal()] = timer;
        }
        return timer;
    }
}

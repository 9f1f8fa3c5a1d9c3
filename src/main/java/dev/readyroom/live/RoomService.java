package dev.readyroom.live;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Deck;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
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
import org.jboss.logging.Logger;

/**
 * Rooms as the rest of the service sees them: created, found (rebuilt from the record if the live
 * store lost them), and changed by commands through {@link #submit}, whichever the store.
 */
@ApplicationScoped
public class RoomService {
    private static final Logger LOG = Logger.getLogger(RoomService.class);
    private static final RoomCommand AUTO_REVEAL = new RoomCommand.Reveal();

    private final RoomStore store;
    private final WireFormat wire;
    private final ReadyRoomConfig config;
    private final MeterRegistry metrics;
    private final RecordOutbox outbox;
    private final RoomRebuilder rebuilder;
    private final RecordEraser eraser;
    private final CommandRunner runner;
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
    /** Changes being decided and committed now: the stop writes the record once none is left. */
    private final AtomicInteger changesUnderWay = new AtomicInteger();
    private volatile boolean stopping;
    /** The node's budget for what its rooms hold in its heap (standalone; see {@link RoomStore#liveBytes}). */
    private final long maxLiveBytes;
    private final ThrottledWarning commandFailures = new ThrottledWarning(Duration.ofSeconds(1), System::nanoTime,
            LOG::warn);

    public RoomService(RoomStore store, WireFormat wire, ReadyRoomConfig config, MeterRegistry metrics,
            RecordOutbox outbox, RoomRebuilder rebuilder, RecordEraser eraser) {
        this.store = store;
        this.wire = wire;
        this.config = config;
        this.metrics = metrics;
        this.outbox = outbox;
        this.rebuilder = rebuilder;
        this.eraser = eraser;
        // Chosen once: a store in this JVM's memory answers at once, one across the network in lanes.
        this.runner = store instanceof ImmediateRoomStore memory ? new ImmediateRunner(memory, wire, outbox)
                : new LaneRunner(store, wire, outbox, config.live().commitTimeout());
        metrics.gauge("readyroom.rooms", store, RoomStore::roomCount);
        metrics.gauge("readyroom.live.bytes", store, RoomStore::liveBytes);
        this.maxLiveBytes = config.limits().maxLiveBytes().orElse(Runtime.getRuntime().maxMemory() / 2);
    }

    public record CreatedRoom(RoomState state, String facilitatorKey) {
    }

    public Uni<CreatedRoom> create(String name, Deck deck, Settings settings) {
        return Uni.createFrom().deferred(() -> {
            if (!admit(null, Actor.SYSTEM)) {
                return Uni.createFrom().failure(new ServerStoppingException());
            }
            if (!roomForOneMore()) {
                changesUnderWay.decrementAndGet();
                return Uni.createFrom().failure(full());
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
                        outbox.append(wire.roomCreated(state, epoch));
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

    /**
     * The room, rebuilt from the durable record if the live store lost it; null if unknown to both,
     * or deleted.
     */
    public Uni<StoredRoom> find(String roomId) {
        return store.load(roomId)
                .flatMap(room -> room != null ? Uni.createFrom().item(room) : restore(roomId))
                .map(room -> room == null || room.state().deleted() ? null : room);
    }

    /** Under a new epoch, so clients know their state is from another life of the room. */
    private Uni<StoredRoom> restore(String roomId) {
        return rebuilder.restore(roomId).flatMap(state -> {
            if (state == null) {
                return Uni.createFrom().nullItem();
            }
            if (!roomForOneMore()) {
                return Uni.createFrom().failure(full());
            }
            // If another request rebuilt it first, create returns false and both load the same room.
            return store.create(state, Secrets.epoch()).flatMap(created -> store.load(roomId));
        });
    }

    /**
     * Whether the store may hold one more room: under the room cap, or once rooms nobody is in and
     * nobody changed for {@code readyroom.live.room-make-way-after} made way (a hundredth of the cap
     * at a time, so a node at its cap does not scan its rooms for every new one).
     */
    private boolean roomForOneMore() {
        int max = config.limits().maxRooms();
        return (store.roomCount() < max
                || store.makeWay(Math.max(1, max / 100), config.live().roomMakeWayAfter()) > 0)
                && !overLiveBudget();
    }

    /**
     * Whether the rooms this node holds take more of its heap than {@code readyroom.limits.max-live-bytes},
     * once idle rooms made way (they stay in the record). Then no room is added and none grows:
     * every room is bounded on its own, but not a node's worth of them.
     */
    public boolean overLiveBudget() {
        long used = store.liveBytes();
        if (used < maxLiveBytes) {
            return false;
        }
        int batch = Math.max(1, config.limits().maxRooms() / 100);
        while (used >= maxLiveBytes && store.makeWay(batch, config.live().roomMakeWayAfter()) > 0) {
            used = store.liveBytes();
        }
        return used >= maxLiveBytes;
    }

    /** Commands that add to what a room holds: refused while the node is over its budget. */
    private static boolean addsToTheRoom(RoomCommand command) {
        return command instanceof RoomCommand.AddItem || command instanceof RoomCommand.ImportItem
                || command instanceof RoomCommand.UpdateItem || command instanceof RoomCommand.SplitItem
                || command instanceof RoomCommand.SelectItem || command instanceof RoomCommand.Revote
                || command instanceof RoomCommand.StartQuickRound || command instanceof RoomCommand.ResolveFlag
                || command instanceof RoomCommand.CastPreVote || command instanceof RoomCommand.AddNote;
    }

    public static final String NODE_FULL = "node_full";
    public static final String NODE_FULL_MESSAGE = "This service holds as much as it can right now; nothing can "
            + "be added until rooms are finished or deleted.";

    private static LiveStoreUnavailableException full() {
        return new LiveStoreUnavailableException("This service holds its maximum of rooms in use; try again later.",
                null);
    }

    public RoomStore store() {
        return store;
    }

    /**
     * The one way in for a command, whichever the store: decides it on the room's current state,
     * commits it with the version it was decided on, and answers {@code reply} once. A command that
     * has every voter voted in a room with auto-reveal on is followed by the service's own reveal,
     * committed before the reply goes out. {@code opId} (null for the service's own commands) makes
     * a retry answer with the original reply.
     */
    public void submit(String roomId, RoomCommand command, Actor actor, String opId, CommandReply reply) {
        if (addsToTheRoom(command) && overLiveBudget()) {
            metrics.counter("readyroom.commands.refused.node.full").increment();
            reply.outcome(new CommandOutcome.Rejected(NODE_FULL, NODE_FULL_MESSAGE,
                    wire.error(opId, NODE_FULL, NODE_FULL_MESSAGE)));
            return;
        }
        if (!admit(command, actor)) {
            reply.failed(new ServerStoppingException());
            return;
        }
        runAdmitted(roomId, command, actor, opId, reply);
    }

    /** {@link #submit}, for callers that go on in a {@link Uni}. */
    public Uni<CommandOutcome> submit(String roomId, RoomCommand command, Actor actor, String opId) {
        return Uni.createFrom().emitter(emitter -> submit(roomId, command, actor, opId, new CommandReply() {
            @Override
            public void outcome(CommandOutcome outcome) {
                emitter.complete(outcome);
            }

            @Override
            public void failed(LiveStoreUnavailableException failure) {
                emitter.fail(failure);
            }
        }));
    }

    /** Runs a command counted in by {@link #admit}; counts it out once answered. */
    private void runAdmitted(String roomId, RoomCommand command, Actor actor, String opId, CommandReply reply) {
        long started = System.nanoTime();
        runner.run(roomId, command, actor, opId, new CommandReply() {
            @Override
            public void outcome(CommandOutcome outcome) {
                record(started, command, outcome);
                if (deletedBy(outcome)) {
                    erase(roomId).subscribe().with(erased -> {
                        changesUnderWay.decrementAndGet();
                        reply.outcome(outcome);
                    });
                    return;
                }
                // Counted in before this command is counted out, so a stop never writes the record between them.
                if (autoRevealDue(outcome) && admit(AUTO_REVEAL, Actor.SYSTEM)) {
                    changesUnderWay.decrementAndGet();
                    runAdmitted(roomId, AUTO_REVEAL, Actor.SYSTEM, null, afterAutoReveal(outcome, reply));
                    return;
                }
                changesUnderWay.decrementAndGet();
                reply.outcome(outcome);
            }

            @Override
            public void failed(LiveStoreUnavailableException failure) {
                RoomService.this.failed(started, command, failure);
                changesUnderWay.decrementAndGet();
                reply.failed(failure);
            }
        });
    }

    private static boolean deletedBy(CommandOutcome outcome) {
        return outcome instanceof CommandOutcome.Committed committed
                && committed.published().type() == EventType.ROOM_DELETED;
    }

    /**
     * A deleted room's record goes at once, then the live store drops what it kept. If the record
     * cannot be reached, the room stays a tombstone in the live store, which refuses everything
     * and keeps the record from rebuilding it, until its {@code room.deleted} entry in the outbox
     * erases the record. The deletion is answered either way: it is committed.
     */
    private Uni<Void> erase(String roomId) {
        return eraser.erase(roomId)
                .flatMap(erased -> store.forget(roomId))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Room %s is deleted; its record will be erased from the outbox (%s)", roomId,
                            failure.getMessage());
                    return null;
                });
    }

    /** With auto-reveal on, the round reveals itself once every voter (online or away) has voted. */
    private static boolean autoRevealDue(CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Committed committed) {
            RoomState state = committed.room().state();
            return state.settings().autoReveal() && state.everyVoterVoted();
        }
        return false;
    }

    /** The command that triggered the reveal is answered as it was, whatever became of the reveal. */
    private static CommandReply afterAutoReveal(CommandOutcome triggering, CommandReply reply) {
        return new CommandReply() {
            @Override
            public void outcome(CommandOutcome ignored) {
                reply.outcome(triggering);
            }

            @Override
            public void failed(LiveStoreUnavailableException failure) {
                LOG.debugf("Auto-reveal failed: %s", failure.getMessage());
                reply.outcome(triggering);
            }
        };
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

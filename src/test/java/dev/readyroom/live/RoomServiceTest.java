package dev.readyroom.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.memory.InMemoryRoomStore;
import dev.readyroom.live.memory.InProcessRoomBus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one way in for a command, on the two kinds of store: the in-memory store, which answers at
 * once, and a store across the network, here the same memory behind the asynchronous store API,
 * where a rival node can commit between a command's read and its commit.
 */
class RoomServiceTest {
    private static final String EPOCH = "e1";
    /** These tests run without a record: a deletion has nothing to erase there. */
    private static final RecordEraser NOTHING_TO_ERASE = roomId -> Uni.createFrom().voidItem();
    /** The service's own defaults, read as Quarkus reads them ("1200ms" is Quarkus's duration form). */
    private static final ReadyRoomConfig CONFIG = new SmallRyeConfigBuilder().withMapping(ReadyRoomConfig.class)
            .withConverter(Duration.class, 200, new DurationConverter()).build().unwrap(SmallRyeConfig.class)
            .getConfigMapping(ReadyRoomConfig.class);

    private final InProcessRoomBus bus = new InProcessRoomBus();
    private final InMemoryRoomStore memory = new InMemoryRoomStore(bus,
            new KeptPerRoom(100, 1 << 20, 100, 1 << 20), Clock.systemUTC());
    private final List<PublishedEvent> recorded = new CopyOnWriteArrayList<>();
    private final RecordOutbox outbox = new RecordOutbox() {
        @Override
        public void append(PublishedEvent entry) {
            if (RecordOutbox.records(entry.type())) {
                recorded.add(entry);
            }
        }

        @Override
        public long backlog() {
            return 0;
        }
    };
    private final WireFormat wire = new WireFormat(new ObjectMapper());

    @Test
    void aRetriedOpIdIsAnsweredWithTheOriginalReplyAndAppliedOnce() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, false, "ana");
        openRound(rooms, roomId);

        CommandOutcome first = submit(rooms, roomId, vote("5"), "ana", "op-1");
        CommandOutcome retry = submit(rooms, roomId, vote("8"), "ana", "op-1");

        assertThat(first).isInstanceOf(CommandOutcome.Committed.class);
        assertThat(retry).isInstanceOf(CommandOutcome.Repeated.class);
        assertThat(retry.reply()).isEqualTo(first.reply());
        assertThat(state(roomId).round().votes().get("ana").value()).isEqualTo("5");
    }

    @Test
    void aRefusedCommandChangesNothingAndItsRetryGetsTheSameRefusal() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, false, "ana");
        long before = state(roomId).version();

        CommandOutcome refused = submit(rooms, roomId, new RoomCommand.Reveal(), "ana", "op-1");
        CommandOutcome retry = submit(rooms, roomId, new RoomCommand.Reveal(), "ana", "op-1");

        assertThat(refused).isInstanceOf(CommandOutcome.Rejected.class);
        assertThat(((CommandOutcome.Rejected) refused).code()).isEqualTo("not_facilitator");
        assertThat(retry.reply()).isEqualTo(refused.reply());
        assertThat(state(roomId).version()).isEqualTo(before);
    }

    @Test
    void theLastVoteRevealsTheRoundBeforeItsSenderIsAnsweredWhenAutoRevealIsOn() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, true, "ana", "bo");
        openRound(rooms, roomId);
        submit(rooms, roomId, vote("3"), "ana", "a-1");
        long beforeLastVote = state(roomId).version();

        CommandOutcome last = submit(rooms, roomId, vote("5"), "bo", "b-1");

        assertThat(last).isInstanceOf(CommandOutcome.Committed.class);
        assertThat(((CommandOutcome.Committed) last).event()).isInstanceOf(dev.readyroom.domain.RoomEvent.VoteCast.class);
        assertThat(last.reply()).contains("\"opId\":\"b-1\"");
        RoomState after = state(roomId);
        assertThat(after.version()).isEqualTo(beforeLastVote + 2);
        assertThat(after.round().revealed()).isTrue();
        assertThat(recorded).extracting(PublishedEvent::type).last().isEqualTo(EventType.ROUND_REVEALED);
    }

    @Test
    void withAutoRevealOffTheLastVoteLeavesTheRoundOpen() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, false, "ana");
        openRound(rooms, roomId);

        submit(rooms, roomId, vote("3"), "ana", "a-1");

        assertThat(state(roomId).hasOpenRound()).isTrue();
    }

    @Test
    void aCommandThatLosesTheRaceToAnotherNodeIsDecidedAgainOnTheNewState() {
        RivalNode store = new RivalNode(memory);
        RoomService rooms = service(store);
        String roomId = roomWithVoters(rooms, false, "ana", "bo");
        openRound(rooms, roomId);
        // Bo's vote is committed by another node between Ana's read and Ana's commit.
        store.beforeNextCommits(1, () -> commitElsewhere(roomId, vote("13"), "bo"));

        CommandOutcome ana = submit(rooms, roomId, vote("5"), "ana", "a-1");

        assertThat(ana).isInstanceOf(CommandOutcome.Committed.class);
        assertThat(store.conflicts.get()).isEqualTo(1);
        RoomState after = state(roomId);
        assertThat(after.round().votes()).containsOnlyKeys("ana", "bo");
        assertThat(ana.reply()).contains("\"version\":" + after.version());
    }

    @Test
    void aRoomThatKeepsChangingUnderACommandAnswersUnavailableAndKeepsEveryOtherChange() {
        RivalNode store = new RivalNode(memory);
        RoomService rooms = service(store);
        String roomId = roomWithVoters(rooms, false, "ana", "bo");
        openRound(rooms, roomId);
        AtomicInteger rivalVotes = new AtomicInteger();
        store.beforeNextCommits(10, () -> commitElsewhere(roomId,
                vote(rivalVotes.incrementAndGet() % 2 == 0 ? "3" : "8"), "bo"));
        long before = state(roomId).version();

        Throwable failure = submitExpectingFailure(rooms, roomId, vote("5"), "ana", "a-1");

        assertThat(failure).isInstanceOf(LiveStoreUnavailableException.class)
                .hasMessageContaining("Too many concurrent changes");
        assertThat(state(roomId).round().votes()).containsOnlyKeys("bo");
        assertThat(state(roomId).version()).isEqualTo(before + rivalVotes.get());
    }

    @Test
    void aFullRoomVotingAtOnceFromManyThreadsHasEveryVoteCommitted() throws Exception {
        RoomService rooms = service(memory);
        String[] voters = new String[99];
        for (int i = 0; i < voters.length; i++) {
            voters[i] = "v" + i;
        }
        String roomId = roomWithVoters(rooms, false, voters);
        openRound(rooms, roomId);
        // Each event reaches its 100 members under the room's lock, as on a node: that takes a while.
        bus.subscribe(roomId, EPOCH, 0, new RoomBus.Listener() {
            @Override
            public void event(PublishedEvent event) {
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }

            @Override
            public void reset() {
            }
        });
        ExecutorService loops = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<CommandOutcome>> outcomes = new ArrayList<>();
            for (String voter : voters) {
                outcomes.add(loops.submit(() -> {
                    start.await();
                    return submit(rooms, roomId, vote("8"), voter, "op-" + voter);
                }));
            }
            start.countDown();
            for (Future<CommandOutcome> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(CommandOutcome.Committed.class);
            }
        } finally {
            loops.shutdownNow();
        }
        assertThat(state(roomId).round().votes()).hasSize(voters.length);
    }

    @Test
    void atTheRoomCapRoomsNobodyIsInMakeWayOnceIdleAndRebuiltRoomsCountToo() {
        MovableClock clock = new MovableClock();
        InMemoryRoomStore small = new InMemoryRoomStore(new InProcessRoomBus(),
                new KeptPerRoom(100, 1 << 20, 100, 1 << 20), clock);
        ReadyRoomConfig threeRooms = config(Map.of("readyroom.limits.max-rooms", "3"));
        RoomState inRecord = RoomState.restored("rebuilt", "From the record", Decks.FIBONACCI, new Settings(false),
                "hash", List.of(), List.of(), 0, 0, 100, 12, null);
        RoomService rooms = new RoomService(small, wire, threeRooms, new SimpleMeterRegistry(), outbox,
                roomId -> Uni.createFrom().item(roomId.equals("rebuilt") ? inRecord : null), NOTHING_TO_ERASE);
        String occupied = create(rooms);
        String oldest = create(rooms);
        clock.advance(Duration.ofMinutes(1));
        String younger = create(rooms);
        submit(rooms, occupied, new RoomCommand.Join("ana", "Ana", Role.VOTER, "t", "n/ana"), null, null);

        clock.advance(Duration.ofMinutes(10));
        assertThat(failureOf(rooms.create("Fourth", Decks.FIBONACCI, new Settings(false))))
                .isInstanceOf(LiveStoreUnavailableException.class).hasMessageContaining("maximum of rooms");
        assertThat(failureOf(rooms.find("rebuilt"))).isInstanceOf(LiveStoreUnavailableException.class);

        clock.advance(Duration.ofHours(1));
        String fourth = create(rooms);

        assertThat(small.roomCount()).isEqualTo(3);
        assertThat(small.loadNow(oldest)).as("the least recently changed room nobody is in").isNull();
        assertThat(small.loadNow(occupied)).as("a room with someone in it stays").isNotNull();
        assertThat(small.loadNow(younger)).isNotNull();
        assertThat(small.loadNow(fourth)).isNotNull();
    }

    @Test
    void pastItsByteBudgetANodeAddsNoRoomAndNoContentUntilIdleRoomsMakeWayWhileVotesGoOn() {
        MovableClock clock = new MovableClock();
        InMemoryRoomStore small = new InMemoryRoomStore(new InProcessRoomBus(),
                new KeptPerRoom(100, 1 << 20, 100, 1 << 20), clock);
        RoomService rooms = new RoomService(small, wire, config(Map.of("readyroom.limits.max-live-bytes", "150000")),
                new SimpleMeterRegistry(), outbox, roomId -> Uni.createFrom().nullItem(), NOTHING_TO_ERASE);
        String idle = create(rooms);
        for (int i = 0; i < 2; i++) {
            assertThat(submit(rooms, idle, new RoomCommand.ImportItem("Big " + i, "y".repeat(4_000), "z".repeat(4_000),
                    null), null, null)).isInstanceOf(CommandOutcome.Committed.class);
        }
        clock.advance(Duration.ofMinutes(1));
        String busy = create(rooms);
        submit(rooms, busy, new RoomCommand.Join("fac", "Fran", Role.OBSERVER, "t-fac", "n/fac"), null, null);
        submit(rooms, busy, new RoomCommand.ClaimFacilitator("fac"), null, null);
        submit(rooms, busy, new RoomCommand.Join("ana", "Ana", Role.VOTER, "t-ana", "n/ana"), null, null);
        submit(rooms, busy, new RoomCommand.AddItem("Login", null, null, null), "fac", "f-0");
        submit(rooms, busy, new RoomCommand.SelectItem(small.loadNow(busy).state().items().get(0).id()), "fac", "f-1");

        CommandOutcome refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            CommandOutcome added = submit(rooms, busy, new RoomCommand.AddItem("Item " + i, "x".repeat(3_000), null,
                    null), "fac", "add-" + i);
            refused = added instanceof CommandOutcome.Rejected ? added : null;
        }

        assertThat(refused).as("an item past the budget").isNotNull();
        assertThat(((CommandOutcome.Rejected) refused).code()).isEqualTo("node_full");
        long held = small.liveBytes();
        assertThat(held).isBetween(150_000L, 150_000L + 20_000L);
        assertThat(submit(rooms, busy, vote("5"), "ana", "a-1")).as("a vote still counts")
                .isInstanceOf(CommandOutcome.Committed.class);
        assertThat(failureOf(rooms.create("Another", Decks.FIBONACCI, new Settings(false))))
                .isInstanceOf(LiveStoreUnavailableException.class);
        assertThat(small.loadNow(idle)).as("not idle long enough to make way").isNotNull();

        clock.advance(Duration.ofHours(1));
        assertThat(submit(rooms, busy, new RoomCommand.AddItem("One more", null, null, null), "fac", "f-2"))
                .as("once the idle room made way").isInstanceOf(CommandOutcome.Committed.class);
        assertThat(small.loadNow(idle)).isNull();
        assertThat(small.liveBytes()).isLessThan(held + 2_000);

        String lastItem = small.loadNow(busy).state().items().get(3).id();
        long before = small.liveBytes();
        submit(rooms, busy, new RoomCommand.RemoveItem(lastItem), "fac", "f-3");
        assertThat(small.liveBytes()).as("a removed item gives its bytes back").isLessThan(before - 6_000);
    }

    private static String create(RoomService rooms) {
        return rooms.create("Room", Decks.FIBONACCI, new Settings(false)).await().atMost(Duration.ofSeconds(5))
                .state().id();
    }

    private static Throwable failureOf(Uni<?> uni) {
        return uni.map(item -> (Throwable) new AssertionError("Expected a failure, got " + item))
                .onFailure().recoverWithItem(failure -> failure).await().atMost(Duration.ofSeconds(5));
    }

    private static ReadyRoomConfig config(Map<String, String> overrides) {
        return new SmallRyeConfigBuilder().withMapping(ReadyRoomConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test", 500)).build().unwrap(SmallRyeConfig.class)
                .getConfigMapping(ReadyRoomConfig.class);
    }

    /** A clock the test moves on. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aStoppingNodeRefusesClientCommandsButStillRecordsPresence() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, false, "ana");
        openRound(rooms, roomId);
        rooms.stopTakingChanges();

        Throwable refused = submitExpectingFailure(rooms, roomId, vote("5"), "ana", "a-1");
        CommandOutcome away = submit(rooms, roomId, new RoomCommand.Disconnect("ana", "n/ana"), null, null);

        assertThat(refused).isInstanceOf(ServerStoppingException.class);
        assertThat(away).isInstanceOf(CommandOutcome.Committed.class);
        assertThat(state(roomId).participants().get("ana").online()).isFalse();
        assertThat(rooms.changesUnderWay()).isFalse();
    }

    @Test
    void onlyWhatTheRecordKeepsReachesTheOutbox() {
        RoomService rooms = service(memory);
        String roomId = roomWithVoters(rooms, false, "ana");
        openRound(rooms, roomId);
        submit(rooms, roomId, vote("5"), "ana", "a-1");
        submit(rooms, roomId, new RoomCommand.Reveal(), "fac", "f-9");

        assertThat(recorded).extracting(PublishedEvent::type).containsExactly(EventType.ITEM_ADDED,
                EventType.ROUND_STARTED, EventType.ROUND_REVEALED);
        assertThat(recorded).allSatisfy(event -> assertThat(event.json()).doesNotContain("n/ana"));
    }

    private RoomService service(RoomStore store) {
        RoomRebuilder nothingRecorded = roomId -> Uni.createFrom().nullItem();
        return new RoomService(store, wire, CONFIG, new SimpleMeterRegistry(), outbox, nothingRecorded,
                NOTHING_TO_ERASE);
    }

    /** A room with a facilitator ("fac", an observer) and voters, created straight in the store. */
    private String roomWithVoters(RoomService rooms, boolean autoReveal, String... voters) {
        RoomState created = RoomState.create(Secrets.roomId(), "Refinement", Decks.FIBONACCI,
                new Settings(autoReveal), "key-hash", 100);
        memory.create(created, EPOCH).await().indefinitely();
        submit(rooms, created.id(), new RoomCommand.Join("fac", "Fran", Role.OBSERVER, "t-fac", "n/fac"), null, null);
        submit(rooms, created.id(), new RoomCommand.ClaimFacilitator("fac"), null, null);
        for (String voter : voters) {
            submit(rooms, created.id(), new RoomCommand.Join(voter, voter, Role.VOTER, "t-" + voter, "n/" + voter),
                    null, null);
        }
        return created.id();
    }

    private void openRound(RoomService rooms, String roomId) {
        submit(rooms, roomId, new RoomCommand.AddItem("Login", null, null, null), "fac", "f-1");
        String itemId = state(roomId).items().get(0).id();
        assertThat(submit(rooms, roomId, new RoomCommand.SelectItem(itemId), "fac", "f-2"))
                .isInstanceOf(CommandOutcome.Committed.class);
    }

    private static RoomCommand vote(String value) {
        return new RoomCommand.CastVote(value, List.<Flag>of());
    }

    private static Actor actor(String participantId) {
        return participantId == null ? Actor.SYSTEM : Actor.participant(participantId);
    }

    private CommandOutcome submit(RoomService rooms, String roomId, RoomCommand command, String participantId,
            String opId) {
        return rooms.submit(roomId, command, actor(participantId), opId).await().atMost(Duration.ofSeconds(5));
    }

    private Throwable submitExpectingFailure(RoomService rooms, String roomId, RoomCommand command,
            String participantId, String opId) {
        return failureOf(rooms.submit(roomId, command, actor(participantId), opId));
    }

    /** What another node would do: decide a command on the room as the store has it, and commit it. */
    private void commitElsewhere(String roomId, RoomCommand command, String participantId) {
        StoredRoom room = memory.loadNow(roomId);
        Verdict verdict = Verdict.of(room, command, actor(participantId), null, wire);
        Verdict.Change change = (Verdict.Change) verdict;
        assertThat(memory.commitNow(room.state().version(), change.next(), change.published(), null, null)).isTrue();
    }

    private RoomState state(String roomId) {
        return memory.loadNow(roomId).state();
    }

    /**
     * The in-memory store seen through the asynchronous API only, as a store across the network is,
     * with a hook that lets another node commit just before this node's next commits.
     */
    private static final class RivalNode implements RoomStore {
        private final InMemoryRoomStore memory;
        private final AtomicInteger rivalCommitsLeft = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        private volatile Runnable rival = () -> {
        };

        RivalNode(InMemoryRoomStore memory) {
            this.memory = memory;
        }

        void beforeNextCommits(int count, Runnable rivalCommit) {
            rival = rivalCommit;
            rivalCommitsLeft.set(count);
        }

        private void rivalFirst() {
            if (rivalCommitsLeft.getAndDecrement() > 0) {
                rival.run();
            }
        }

        @Override
        public Uni<Boolean> create(RoomState state, String epoch) {
            return memory.create(state, epoch);
        }

        @Override
        public Uni<StoredRoom> load(String roomId) {
            return memory.load(roomId);
        }

        @Override
        public Uni<Boolean> commit(long expectedVersion, RoomState next, PublishedEvent event, String opKey,
                String reply) {
            rivalFirst();
            return memory.commit(expectedVersion, next, event, opKey, reply).invoke(committed -> {
                if (!committed) {
                    conflicts.incrementAndGet();
                }
            });
        }

        /** As a store across the network does it: the reply, or the commit, or else the room as it is now. */
        @Override
        public Uni<CommitAttempt> commitUnlessAnswered(long expectedVersion, RoomState next, PublishedEvent event,
                String opKey, String reply) {
            rivalFirst();
            ReplyOrRoom found = memory.replyOrRoomNow(next.id(), opKey);
            if (found.reply() != null) {
                return Uni.createFrom().item(new CommitAttempt(false, found));
            }
            if (memory.commitNow(expectedVersion, next, event, opKey, reply)) {
                return Uni.createFrom().item(CommitAttempt.COMMITTED);
            }
            conflicts.incrementAndGet();
            return Uni.createFrom().item(new CommitAttempt(false, memory.replyOrRoomNow(next.id(), opKey)));
        }

        @Override
        public Uni<List<PublishedEvent>> eventsAfter(String roomId, String epoch, long version) {
            return memory.eventsAfter(roomId, epoch, version);
        }

        @Override
        public Uni<ReplyOrRoom> replyOrRoom(String roomId, String opKey) {
            return memory.replyOrRoom(roomId, opKey);
        }

        @Override
        public Uni<Void> forget(String roomId) {
            return memory.forget(roomId);
        }

        @Override
        public Uni<Void> rememberReply(String roomId, String opKey, String reply) {
            return memory.rememberReply(roomId, opKey, reply);
        }

        @Override
        public long roomCount() {
            return memory.roomCount();
        }
    }
}

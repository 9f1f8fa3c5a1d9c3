package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import dev.readyroom.testkit.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' stores on one real Redis, changing one room in turn: each decides on its own copy, as
 * the service does, and the backlog is stored apart from the rest of the state.
 */
class RedisRoomStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static RedisServer redis;
    private static Vertx vertx;
    private final WireFormat wire = new WireFormat(new ObjectMapper());

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.started();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        vertx.closeAndAwait();
        redis.close();
    }

    private static RedisRoomStore store() {
        return store(new KeptPerRoom(100, 1 << 20, 100, 1 << 20));
    }

    private static RedisRoomStore store(KeptPerRoom kept) {
        return new RedisRoomStore(Redis.createClient(vertx, redis.url()), Duration.ofHours(1), kept,
                Clock.systemUTC());
    }

    /** Decides {@code command} on this store's copy and commits it, deciding again on what it finds if it lost. */
    private StoredRoom change(RedisRoomStore store, String roomId, RoomCommand command, Actor actor) {
        StoredRoom room = store.cached(roomId);
        if (room == null) {
            room = store.load(roomId).await().atMost(WAIT);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Decision decision = RoomRules.decide(room.state(), command, actor);
            if (decision instanceof Decision.Rejected) {
                // Refused on a copy that may be behind: as the service does, decide again on the room as it is.
                room = store.load(roomId).await().atMost(WAIT);
                decision = RoomRules.decide(room.state(), command, actor);
            }
            assertThat(decision).as(command.toString()).isInstanceOf(Decision.Accepted.class);
            RoomState next = RoomRules.apply(room.state(), ((Decision.Accepted) decision).event());
            PublishedEvent event = wire.event(((Decision.Accepted) decision).event(), next, room.epoch());
            RoomStore.CommitAttempt tried = store.commitUnlessAnswered(room.state().version(), next, event,
                    null, null).await().atMost(WAIT);
            if (tried.committed()) {
                return new StoredRoom(next, room.epoch());
            }
            room = tried.found().room();
        }
        throw new AssertionError("not committed: " + command);
    }

    private static String field(String roomId, String name) {
        return redis.cli("HGET", RedisKeys.room(roomId), name);
    }

    @Test
    void nodesTakingTurnsAgreeAndAVoteLeavesTheBacklogAlone() {
        RedisRoomStore nodeA = store();
        RedisRoomStore nodeB = store();
        RoomState created = RoomState.create("turns", "Turns", Decks.FIBONACCI, new Settings(false), "h", 100);
        assertThat(nodeA.create(created, "e1").await().atMost(WAIT)).isTrue();
        change(nodeA, "turns", new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(nodeA, "turns", new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        change(nodeB, "turns", new RoomCommand.Join("bo", "Bo", Role.VOTER, "tb", "b/1"), Actor.SYSTEM);
        Actor fran = Actor.participant("fa");
        Actor bo = Actor.participant("bo");
        for (int round = 0; round < 3; round++) {
            change(nodeB, "turns", new RoomCommand.AddItem("Story " + round, "", null, null), fran);
            String itemId = nodeB.cached("turns").state().items().get(round).id();
            change(nodeA, "turns", new RoomCommand.SelectItem(itemId), fran);
            String backlogAt = field("turns", "itemsAt");
            change(nodeB, "turns", new RoomCommand.CastVote("5", List.of()), bo);
            change(nodeA, "turns", new RoomCommand.CastVote("8", List.of()), fran);
            // Two votes, on either node: the backlog in Redis is the one written before them.
            assertThat(field("turns", "itemsAt")).isEqualTo(backlogAt);
            change(nodeB, "turns", new RoomCommand.Reveal(), fran);
            assertThat(field("turns", "itemsAt")).isNotEqualTo(backlogAt);
            change(nodeA, "turns", new RoomCommand.SettleEstimate(itemId, "8"), fran);
        }

        RoomState onA = nodeA.load("turns").await().atMost(WAIT).state();
        RoomState fresh = store().load("turns").await().atMost(WAIT).state();
        RoomState onB = change(nodeB, "turns", new RoomCommand.UpdateSettings(true), fran).state();
        assertThat(fresh).isEqualTo(onA);
        assertThat(fresh.items()).hasSize(3).allSatisfy(item -> {
            assertThat(item.estimate()).isEqualTo("8");
            assertThat(item.rounds()).hasSize(1);
        });
        assertThat(store().load("turns").await().atMost(WAIT).state()).isEqualTo(onB);
        assertThat(field("turns", "state")).doesNotContain("Story 0");
        assertThat(field("turns", "items")).contains("Story 0", "Story 2");
    }

    @Test
    void aRoomStoredWholeByAnOlderNodeIsReadAndThenStoredApart() throws Exception {
        RedisRoomStore older = store();
        RoomState created = RoomState.create("whole", "Whole", Decks.FIBONACCI, new Settings(false), "h", 100);
        assertThat(older.create(created, "e1").await().atMost(WAIT)).isTrue();
        change(older, "whole", new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(older, "whole", new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        RoomState before = change(older, "whole", new RoomCommand.AddItem("Kept", "", null, null),
                Actor.participant("fa")).state();
        // As a node before the split stored it: the whole state in one field, no backlog fields.
        ObjectMapper plain = JsonMapper.builder().build();
        redis.cli("HDEL", RedisKeys.room("whole"), "items", "itemsAt");
        redis.cli("HSET", RedisKeys.room("whole"), "state", plain.writeValueAsString(before));

        RedisRoomStore newer = store();
        assertThat(newer.load("whole").await().atMost(WAIT).state()).isEqualTo(before);
        RoomState after = change(newer, "whole", new RoomCommand.SelectItem(before.items().get(0).id()),
                Actor.participant("fa")).state();
        assertThat(field("whole", "items")).contains("Kept");
        assertThat(store().load("whole").await().atMost(WAIT).state()).isEqualTo(after);
    }

    @Test
    void aDeletedRoomLeavesOnlyItsTombstoneAndEveryNodeSeesItDeleted() {
        RedisRoomStore deleting = store();
        RedisRoomStore other = store();
        RoomState created = RoomState.create("gone", "Gone", Decks.FIBONACCI, new Settings(false), "h", 100);
        assertThat(deleting.create(created, "e1").await().atMost(WAIT)).isTrue();
        change(deleting, "gone", new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(deleting, "gone", new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        change(other, "gone", new RoomCommand.AddItem("Secret plan", "", null, null), Actor.participant("fa"));
        deleting.rememberReply("gone", "op-1", "{\"type\":\"error\"}").await().atMost(WAIT);
        assertThat(other.cached("gone").state().items()).as("the other node's copy").hasSize(1);

        change(deleting, "gone", new RoomCommand.DeleteRoom(), Actor.participant("fa"));
        deleting.forget("gone").await().atMost(WAIT);

        assertThat(redis.cli("EXISTS", RedisKeys.events("gone"), RedisKeys.replies("gone"),
                RedisKeys.oldReplies("gone"))).isEqualTo("0");
        assertThat(field("gone", "state") + field("gone", "items")).doesNotContain("Secret plan", "Fran");
        assertThat(Long.parseLong(redis.cli("TTL", RedisKeys.room("gone")))).isPositive();
        StoredRoom seenByOther = other.load("gone").await().atMost(WAIT);
        assertThat(seenByOther.state().deleted()).isTrue();
        assertThat(seenByOther.state().items()).isEmpty();
    }

    @Test
    void aRoomKeepsItsEventsAndRepliesWithinTheirByteBounds() {
        KeptPerRoom kept = new KeptPerRoom(1000, 8 * 1024, 1000, 4 * 1024);
        RedisRoomStore store = store(kept);
        RoomState created = RoomState.create("bounded", "Bounded", Decks.FIBONACCI, new Settings(false), "h", 100);
        assertThat(store.create(created, "e1").await().atMost(WAIT)).isTrue();
        change(store, "bounded", new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(store, "bounded", new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        String description = "d".repeat(1_000);
        long version = 0;
        for (int i = 0; i < 40; i++) {
            version = change(store, "bounded", new RoomCommand.AddItem("Item " + i, description, null, null),
                    Actor.participant("fa")).state().version();
            store.rememberReply("bounded", "op-" + i, "{\"type\":\"error\",\"message\":\"" + "m".repeat(300) + "\"}")
                    .await().atMost(WAIT);
        }

        long eventBytes = Long.parseLong(field("bounded", "eventBytes"));
        long eventCount = Long.parseLong(redis.cli("XLEN", RedisKeys.events("bounded")));
        assertThat(eventBytes).isPositive().isLessThanOrEqualTo(kept.eventBytes());
        assertThat(eventCount).isBetween(2L, 8L);
        assertThat(store.eventsAfter("bounded", "e1", version - eventCount).await().atMost(WAIT))
                .as("the events still kept").hasSize((int) eventCount);
        assertThat(store.eventsAfter("bounded", "e1", 1).await().atMost(WAIT)).as("the oldest are gone").isNull();
        long replies = Long.parseLong(redis.cli("HLEN", RedisKeys.replies("bounded")))
                + Long.parseLong(redis.cli("HLEN", RedisKeys.oldReplies("bounded")));
        assertThat(replies * 330).as("both reply hashes together").isLessThanOrEqualTo(2 * kept.replyBytes() + 330);
        assertThat(Long.parseLong(field("bounded", "replyBytes"))).isLessThanOrEqualTo(kept.replyBytes());
    }
}

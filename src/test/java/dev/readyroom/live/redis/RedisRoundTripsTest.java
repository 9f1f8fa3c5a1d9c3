package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.CommandOutcome;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.WireFormat;
import dev.readyroom.testkit.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis round trips per command, counted by Redis itself ({@code MONITOR}), for two
 * nodes' services on one real Redis: a node whose copy of the room is current commits in one call,
 * and needs one more only when another node changed the room since.
 */
class RedisRoundTripsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ReadyRoomConfig CONFIG = new SmallRyeConfigBuilder().withMapping(ReadyRoomConfig.class)
            .withConverter(Duration.class, 200, new DurationConverter()).build().unwrap(SmallRyeConfig.class)
            .getConfigMapping(ReadyRoomConfig.class);
    private static final RecordOutbox NO_RECORD = new RecordOutbox() {
        @Override
        public void append(PublishedEvent entry) {
        }

        @Override
        public long backlog() {
            return 0;
        }
    };
    private static RedisServer redis;
    private static Vertx vertx;
    private final WireFormat wire = new WireFormat(new ObjectMapper());

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.started();
        vertx = Vertx.vertx();
        // As on a Redis that ran them before: the first call of each script sends its text too.
        for (RedisScripts.Script script : List.of(RedisScripts.COMMIT, RedisScripts.CREATE, RedisScripts.EVENTS_AFTER,
                RedisScripts.REPLY_OR_ROOM, RedisScripts.REMEMBER, RedisScripts.REMEMBER_IF_CURRENT)) {
            redis.cli("SCRIPT", "LOAD", script.body());
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        vertx.closeAndAwait();
        redis.close();
    }

    private RedisRoomStore store() {
        return new RedisRoomStore(Redis.createClient(vertx, redis.url()), Duration.ofHours(1),
                new KeptPerRoom(100, 1 << 20, 100, 1 << 20), Clock.systemUTC());
    }

    private RoomService service(RedisRoomStore store) {
        return new RoomService(store, wire, CONFIG, new SimpleMeterRegistry(), NO_RECORD,
                roomId -> Uni.createFrom().nullItem(), roomId -> Uni.createFrom().voidItem());
    }

    @Test
    void aCommandOnACurrentCopyIsOneRoundTripAndOneMoreOnlyAfterAnotherNodeChangedTheRoom() {
        RedisRoomStore storeA = store();
        RoomService nodeA = service(storeA);
        RoomService nodeB = service(store());
        String roomId = Secrets.roomId();
        storeA.create(RoomState.create(roomId, "Trips", Decks.FIBONACCI, new Settings(false), "h", 100), "e1")
                .await().atMost(WAIT);
        submit(nodeA, roomId, new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM, null);
        submit(nodeA, roomId, new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM, null);
        submit(nodeA, roomId, new RoomCommand.Join("bo", "Bo", Role.VOTER, "tb", "a/2"), Actor.SYSTEM, null);
        submit(nodeA, roomId, new RoomCommand.AddItem("Story", "", null, null), Actor.participant("fa"), "op-add");
        String itemId = nodeA.find(roomId).await().atMost(WAIT).state().items().get(0).id();
        submit(nodeA, roomId, new RoomCommand.SelectItem(itemId), Actor.participant("fa"), "op-select");
        nodeB.find(roomId).await().atMost(WAIT); // B's copy, as a welcome on B reads it

        SoftAssertions softly = new SoftAssertions();
        Actor fran = Actor.participant("fa");
        Actor bo = Actor.participant("bo");
        RoomCommand.CastVote three = new RoomCommand.CastVote("3", List.of());
        RoomCommand.CastVote five = new RoomCommand.CastVote("5", List.of());
        RoomCommand.CastVote eight = new RoomCommand.CastVote("8", List.of());
        softly.assertThat(roundTrips(roomId, () -> submit(nodeA, roomId, five, fran, "v-1"))).as("a vote on A, current")
                .isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeA, roomId, five, fran, "v-1"))).as("its retry")
                .isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeA, roomId, eight, fran, "v-2")))
                .as("another vote on A").isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeB, roomId, five, bo, "b-1"))).as("a vote on B, behind A")
                .isEqualTo(2);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeB, roomId, three, bo, "b-2")))
                .as("B again, current now").isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeB, roomId, new RoomCommand.Reveal(), bo, "b-3")))
                .as("a refusal on B's current copy").isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeB, roomId,
                new RoomCommand.Disconnect("bo", "a/2"), Actor.SYSTEM, null)))
                .as("the service's own command on a current copy").isEqualTo(1);
        softly.assertThat(roundTrips(roomId, () -> submit(nodeA, roomId, new RoomCommand.Reveal(), fran, "r-1")))
                .as("a reveal on A, behind B").isEqualTo(2);
        softly.assertAll();
        assertThat(nodeB.find(roomId).await().atMost(WAIT).state().items().get(0).rounds()).hasSize(1);
    }

    private CommandOutcome submit(RoomService node, String roomId, RoomCommand command, Actor actor, String opId) {
        return node.submit(roomId, command, actor, opId).await().atMost(WAIT);
    }

    /** Commands clients sent to Redis about the room while {@code action} ran (MONITOR). */
    private static long roundTrips(String roomId, Supplier<CommandOutcome> action) {
        try (RedisServer.Monitor monitor = redis.monitor()) {
            assertThat(action.get()).isNotNull();
            return monitor.roundTrips(roomId);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

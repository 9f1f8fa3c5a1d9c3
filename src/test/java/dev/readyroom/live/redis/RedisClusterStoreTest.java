package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.config.RecordConfig;
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
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RecordStatus;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import dev.readyroom.testkit.RedisClusterServers;
import dev.readyroom.testkit.RedisServer;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store, the bus and the record's outbox on a real Redis Cluster of three masters: rooms whose
 * keys live on three different masters, changed in turn by two nodes; every commit script touches
 * one hash slot, events reach the other node on the rooms' sharded channels, and record entries go
 * to each room's slot stream and are consumed from there.
 */
class RedisClusterStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisClusterServers cluster;
    private static Vertx vertx;
    private final WireFormat wire = new WireFormat(new ObjectMapper());
    private final List<Redis> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterServers.started(0);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopCluster() {
        vertx.closeAndAwait();
        cluster.close();
    }

    static Redis clusterClient(Vertx vertx, String url, int poolSize) {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
                .setMaxPoolSize(poolSize).setMaxPoolWaiting(256);
        ClusterLive.seeds(url).forEach(options::addConnectionString);
        return Redis.createClient(vertx, options);
    }

    private Redis client() {
        Redis client = clusterClient(vertx, cluster.url(), 4);
        clients.add(client);
        return client;
    }

    private RedisRoomStore store(RedisRoomStore.OutboxWritten written) {
        return new RedisRoomStore(client(), Duration.ofHours(1), new KeptPerRoom(100, 1 << 20, 100, 1 << 20),
                Clock.systemUTC(), new RedisLayout(true, 0, Duration.ZERO), written);
    }

    /** Room ids whose keys land in each third of the slots: on each of the three masters. */
    private static List<String> roomsOnEachMaster() {
        List<String> rooms = new ArrayList<>();
        for (int third = 0; third < 3; third++) {
            String roomId;
            do {
                roomId = Secrets.roomId();
            } while (RedisSlots.of(RedisKeys.room(roomId)) * 3 / RedisSlots.COUNT != third);
            rooms.add(roomId);
        }
        return rooms;
    }

    @Test
    void slotsAreRedisOwnAndEachSlotHasATagOfItsOwn() {
        assertThat(RedisSlots.crc16("123456789".getBytes())).isEqualTo(0x31C3);
        for (String key : List.of("foo", "rr:{abc}:room", "readyroom:outbox:streams")) {
            assertThat(RedisSlots.of(key)).as(key)
                    .isEqualTo(Integer.parseInt(cluster.cli(cluster.nodes().get(0), "CLUSTER", "KEYSLOT", key)));
        }
        for (int slot : List.of(0, 1, 5460, 16383)) {
            assertThat(RedisSlots.of("x{" + RedisSlots.tag(slot) + "}")).isEqualTo(slot);
        }
        assertThat(RedisSlots.of(RedisKeys.slotOutbox("abc"))).isEqualTo(RedisSlots.of(RedisKeys.room("abc")));
        assertThat(RedisSlots.of(RedisKeys.shardChannel("abc"))).isEqualTo(RedisSlots.of(RedisKeys.room("abc")));
    }

    @Test
    void roomsOnThreeMastersChangedByTwoNodesReachTheOtherNodeAndTheRecord() throws Exception {
        RecordConfig recordConfig = new SmallRyeConfigBuilder().withMapping(RecordConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("readyroom.record.batch-linger", "20ms"), "test", 500))
                .build().unwrap(SmallRyeConfig.class).getConfigMapping(RecordConfig.class);
        List<PublishedEvent> recorded = new CopyOnWriteArrayList<>();
        RecordSink sink = new RecordSink() {
            @Override
            public Uni<Void> writeAll(List<Entry> entries) {
                entries.forEach(entry -> recorded.add(entry.event()));
                return Uni.createFrom().voidItem();
            }

            @Override
            public boolean refusesForGood(Throwable failure) {
                return false;
            }
        };
        RedisStreamRecordOutbox outboxA = new RedisStreamRecordOutbox(sink, new RecordStatus(), recordConfig, vertx,
                true);
        RedisRoomStore nodeA = store(outboxA::written);
        RedisRoomStore nodeB = store(RedisRoomStore.OutboxWritten.NOBODY);
        Redis commandsB = client();
        RedisRoomBus busB = new RedisRoomBus(() -> clusterClient(vertx, cluster.url(), 1), commandsB, "node-b", nodeB,
                new NodeLease(commandsB, "node-b", vertx, Duration.ofSeconds(10)), vertx, Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(1), true);
        outboxA.start(client());
        busB.start();
        try {
            await().atMost(WAIT).until(busB::subscribed);
            List<String> rooms = roomsOnEachMaster();
            Set<Integer> masters = new HashSet<>();
            rooms.forEach(roomId -> masters.add(cluster.masterOf(RedisKeys.room(roomId)).port()));
            assertThat(masters).as("the rooms' masters").hasSize(3);

            Map<String, List<Long>> heardOnB = new ConcurrentHashMap<>();
            for (String roomId : rooms) {
                assertThat(nodeA.create(RoomState.create(roomId, "Sharded", Decks.FIBONACCI, new Settings(false), "h",
                        100), "e1").await().atMost(WAIT)).isTrue();
                heardOnB.put(roomId, new CopyOnWriteArrayList<>());
                busB.subscribe(roomId, "e1", 0, new RoomBus.Listener() {
                    @Override
                    public void event(PublishedEvent event) {
                        heardOnB.get(roomId).add(event.version());
                    }

                    @Override
                    public void reset() {
                        throw new AssertionError("no reset expected");
                    }
                });
                outboxA.append(wire.roomCreated(nodeA.cached(roomId).state(), "e1"));
            }
            for (String roomId : rooms) {
                String channel = RedisKeys.shardChannel(roomId);
                await("node B's sharded subscription on the master of " + channel).atMost(WAIT).until(() -> cluster
                        .cli(cluster.masterOf(channel), "PUBSUB", "SHARDNUMSUB", channel).endsWith("\n1"));
                playRound(nodeA, nodeB, roomId);
            }

            for (String roomId : rooms) {
                long version = nodeA.load(roomId).await().atMost(WAIT).state().version();
                await("every version of " + roomId + " on node B, once, in order").atMost(WAIT)
                        .untilAsserted(() -> assertThat(heardOnB.get(roomId))
                                .containsExactlyElementsOf(versions(1, version)));
                StoredRoom fresh = store(RedisRoomStore.OutboxWritten.NOBODY).load(roomId).await().atMost(WAIT);
                assertThat(fresh.state().items().get(0).estimate()).isEqualTo("8");
                String stream = RedisKeys.slotOutbox(roomId);
                assertThat(cluster.cli(cluster.masterOf(stream), "XLEN", stream))
                        .as("entries in the room's slot stream")
                        .isNotEqualTo("0");
            }
            await("every record entry of the three rooms consumed").atMost(WAIT).untilAsserted(() -> {
                for (String roomId : rooms) {
                    assertThat(recorded).filteredOn(event -> event.roomId().equals(roomId))
                            .extracting(event -> event.type().wireName())
                            .contains("room.created", "item.added", "round.revealed", "item.estimated");
                }
            });
            await().atMost(WAIT).until(() -> outboxA.backlog() == 0
                    && cluster.cli(cluster.masterOf(RedisKeys.OUTBOX_STREAMS), "SCARD", RedisKeys.OUTBOX_STREAMS)
                    .equals("3"));
        } finally {
            busB.stop();
            outboxA.stop();
            clients.forEach(Redis::close);
        }
    }

    @Test
    void aCommandOnACurrentCopyIsOneRoundTripToTheRoomsMaster() throws Exception {
        RedisRoomStore nodeA = store(RedisRoomStore.OutboxWritten.NOBODY);
        RedisRoomStore nodeB = store(RedisRoomStore.OutboxWritten.NOBODY);
        String roomId = Secrets.roomId();
        RedisClusterServers.Node master = cluster.masterOf(RedisKeys.room(roomId));
        // As on a master that ran it before: the first call of a script sends its text too.
        cluster.cli(master, "SCRIPT", "LOAD", RedisScripts.COMMIT.body());
        nodeA.create(RoomState.create(roomId, "Trips", Decks.FIBONACCI, new Settings(false), "h", 100), "e1")
                .await().atMost(WAIT);
        change(nodeA, roomId, new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(nodeA, roomId, new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        change(nodeA, roomId, new RoomCommand.AddItem("Story", "", null, null), Actor.participant("fa"));
        String itemId = nodeA.cached(roomId).state().items().get(0).id();
        change(nodeA, roomId, new RoomCommand.SelectItem(itemId), Actor.participant("fa"));
        nodeB.load(roomId).await().atMost(WAIT);
        Actor fran = Actor.participant("fa");

        try (RedisServer.Monitor monitor = RedisServer.monitor(master.port())) {
            change(nodeA, roomId, new RoomCommand.CastVote("5", List.of()), fran);
            assertThat(monitor.roundTrips(roomId)).as("a vote on A's current copy").isEqualTo(1);
        }
        try (RedisServer.Monitor monitor = RedisServer.monitor(master.port())) {
            change(nodeB, roomId, new RoomCommand.CastVote("8", List.of()), fran);
            assertThat(monitor.roundTrips(roomId)).as("a vote on B, behind A").isEqualTo(2);
        }
    }

    private static List<Long> versions(long from, long to) {
        List<Long> versions = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            versions.add(v);
        }
        return versions;
    }

    /** Joins, a round and its estimate, the commands alternating between the two nodes. */
    private void playRound(RedisRoomStore nodeA, RedisRoomStore nodeB, String roomId) {
        change(nodeA, roomId, new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM);
        change(nodeA, roomId, new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM);
        change(nodeB, roomId, new RoomCommand.Join("bo", "Bo", Role.VOTER, "tb", "b/1"), Actor.SYSTEM);
        Actor fran = Actor.participant("fa");
        change(nodeB, roomId, new RoomCommand.AddItem("Story", "", null, null), fran);
        String itemId = nodeB.cached(roomId).state().items().get(0).id();
        change(nodeA, roomId, new RoomCommand.SelectItem(itemId), fran);
        change(nodeB, roomId, new RoomCommand.CastVote("5", List.of()), Actor.participant("bo"));
        change(nodeA, roomId, new RoomCommand.CastVote("8", List.of()), fran);
        change(nodeB, roomId, new RoomCommand.Reveal(), fran);
        change(nodeA, roomId, new RoomCommand.SettleEstimate(itemId, "8"), fran);
    }

    /** Decides on the node's copy and commits, deciding again on what it finds if another node was first. */
    private StoredRoom change(RedisRoomStore store, String roomId, RoomCommand command, Actor actor) {
        StoredRoom room = store.cached(roomId);
        if (room == null) {
            room = store.load(roomId).await().atMost(WAIT);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            Decision decision = RoomRules.decide(room.state(), command, actor);
            if (decision instanceof Decision.Rejected) {
                room = store.load(roomId).await().atMost(WAIT);
                decision = RoomRules.decide(room.state(), command, actor);
            }
            assertThat(decision).as(command.toString()).isInstanceOf(Decision.Accepted.class);
            RoomState next = RoomRules.apply(room.state(), ((Decision.Accepted) decision).event());
            PublishedEvent event = wire.event(((Decision.Accepted) decision).event(), next, room.epoch());
            RoomStore.CommitAttempt tried = store.commitUnlessAnswered(room.state().version(), next, event, null,
                    null).await().atMost(WAIT);
            if (tried.committed()) {
                return new StoredRoom(next, room.epoch());
            }
            room = tried.found().room();
        }
        throw new AssertionError("not committed: " + command);
    }
}

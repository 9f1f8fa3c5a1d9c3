package dev.readyroom.cluster;

import static dev.readyroom.testkit.Acks.lastItemId;
import static dev.readyroom.testkit.Acks.untilAcked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.Deliveries;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RedisClusterServers;
import dev.readyroom.testkit.RedisClusterServers.Node;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.ServiceNode;
import dev.readyroom.testkit.TestRoom;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real service processes on a Redis Cluster of the test's own (three masters, a replica each),
 * in cluster mode with {@code READYROOM_REDIS_CLUSTER}: full rounds in rooms on each master with
 * clients split across both nodes, then a master killed and its replica promoted: the room starts
 * over under a new epoch, its clients resume and play on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
    private static final Duration REPLY = Duration.ofSeconds(5);
    private static RedisClusterServers cluster;
    private static RecordDatabase record;
    private static ServiceNode nodeA;
    private static ServiceNode nodeB;
    private final List<RoomClient> clients = new ArrayList<>();

    @BeforeAll
    static void startClusterAndTwoNodes() throws Exception {
        cluster = RedisClusterServers.started(1);
        record = RecordDatabase.fresh("readyroom_redis_cluster_it");
        List<String> options = new ArrayList<>(List.of("-Dreadyroom.limits.messages-per-second=1000",
                "-Dquarkus.log.level=INFO", "-Dreadyroom.redis.cluster=true"));
        options.addAll(record.serviceOptions());
        nodeA = ServiceNode.named("a").redis(cluster.url()).properties(options).start();
        nodeB = ServiceNode.named("b").redis(cluster.url()).properties(options).start();
        nodeA.awaitReady();
        nodeB.awaitReady();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, cluster}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RoomClient::close);
        clients.clear();
    }

    /** The master that holds a room's keys now. */
    private static Node masterOf(TestRoom room) {
        return cluster.masterOf("rr:{" + room.id() + "}:room");
    }

    @Test
    @Order(1)
    void clientsOnBothNodesPlayFullRoundsInRoomsOnEveryMaster() throws Exception {
        Map<Integer, TestRoom> roomByMaster = new HashMap<>();
        while (roomByMaster.size() < 3) {
            TestRoom room = TestRoom.create(nodeA.uri(), "Sharded");
            roomByMaster.putIfAbsent(masterOf(room).port(), room);
        }
        for (TestRoom room : roomByMaster.values()) {
            List<RoomClient> team = team(room, 4);
            long last = 0;
            for (int round = 0; round < 2; round++) {
                last = playRound(team, round);
            }
            assertEveryoneSawEverything(last);
            assertThat(nodeB.get("/api/rooms/" + room.id())).contains("\"version\":" + last);
            // Every entry from the room's slot stream, whichever node wrote or read it.
            await().atMost(Duration.ofSeconds(20)).until(() -> record.count(
                    "select count(*) from revealed_vote where room_id = ?", room.id()) == 2 * 4);
            assertThat(record.count("select count(*) from settled_estimate where room_id = ?", room.id()))
                    .isEqualTo(2);
            closeClients();
        }
    }

    @Test
    @Order(2)
    void aMasterKilledMidRoundIsReplacedByItsReplicaAndTheRoomStartsOverUnderANewEpoch() throws Exception {
        TestRoom room = TestRoom.create(nodeA.uri(), "Failover");
        List<RoomClient> team = team(room, 4);
        long before = playRound(team, 0);
        assertEveryoneSawEverything(before);
        String epoch = team.get(0).welcome().getString("epoch");
        Node master = masterOf(room);
        Node replica = cluster.replicaOf(master);
        cluster.awaitInSync(master);

        cluster.kill(master);
        long killedAt = System.nanoTime();
        // Commands answer unavailable until the replica took over; the first change then starts the room
        // over under a new epoch (a change acknowledged by the dead master may be lost): its sockets close.
        untilAckedOrClosed(team.get(0), "item.add", "title", "After the failover");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> team.stream().allMatch(client -> client.closeCode() != null));
        long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(team).allSatisfy(client -> assertThat(client.closeCode()).isEqualTo(1012));
        cluster.awaitPromoted(replica, Duration.ofSeconds(20));

        clients.removeAll(team);
        List<RoomClient> resumed = new ArrayList<>();
        for (int i = 0; i < team.size(); i++) {
            RoomClient again = resume(team.get(i), i % 2 == 0 ? nodeB : nodeA, room);
            assertThat(again.id()).isEqualTo(team.get(i).id());
            assertThat(again.welcome().getString("epoch")).isNotEqualTo(epoch);
            resumed.add(again);
        }
        long last = playRound(resumed, 1);
        assertEveryoneSawEverything(last);
        await().atMost(Duration.ofSeconds(20)).until(() -> record.count(
                "select count(*) from revealed_vote where room_id = ?", room.id()) == 2 * 4);
        System.out.printf("[redis-cluster-it] from a master killed to every socket of its room told 1012: %d ms%n",
                tookMillis);
    }

    /** Resumes {@code before}'s session on {@code node} as a new client. */
    private RoomClient resume(RoomClient before, ServiceNode node, TestRoom room) {
        JsonObject welcome = before.welcome();
        RoomClient again = room.connect(node.uri());
        clients.add(again);
        again.resume(welcome.getJsonObject("you").getString("name"), welcome.getString("token"),
                welcome.getString("epoch"), before.lastVersion());
        return again;
    }

    /** {@link #untilAcked}, or until the socket closes. */
    private static void untilAckedOrClosed(RoomClient client, String type, Object... fields) {
        try {
            untilAcked(client, type, fields);
        } catch (RuntimeException | AssertionError e) {
            if (client.closeCode() == null) {
                throw e;
            }
        }
    }

    private List<RoomClient> team(TestRoom room, int voters) {
        List<RoomClient> team = new ArrayList<>();
        team.add(join("fran", nodeA, room, "observer", room.facilitatorKey()));
        for (int i = 0; i < voters; i++) {
            team.add(join("voter" + i, i % 2 == 0 ? nodeA : nodeB, room, "voter", null));
        }
        return team;
    }

    /** An item added, selected, voted on by every voter, revealed and estimated: the last version. */
    private static long playRound(List<RoomClient> team, int round) {
        RoomClient fran = team.get(0);
        String[] cards = {"3", "5", "8", "13"};
        String previous = lastItemId(fran);
        untilAcked(fran, "item.add", "title", "Story " + round);
        await().atMost(Duration.ofSeconds(30)).until(() -> lastItemId(fran) != null
                && !lastItemId(fran).equals(previous));
        String itemId = lastItemId(fran);
        untilAcked(fran, "item.select", "itemId", itemId);
        List<CompletableFuture<JsonObject>> votes = new ArrayList<>();
        for (int v = 1; v < team.size(); v++) {
            RoomClient voter = team.get(v);
            String card = cards[(v + round) % cards.length];
            votes.add(CompletableFuture.supplyAsync(() -> untilAcked(voter, "vote", "value", card)));
        }
        votes.forEach(CompletableFuture::join);
        untilAcked(fran, "reveal");
        return untilAcked(fran, "item.estimate", "itemId", itemId, "value", "5").getLong("version");
    }

    private RoomClient join(String name, ServiceNode node, TestRoom room, String role, String key) {
        RoomClient client = room.connect(node.uri());
        clients.add(client);
        if (key == null) {
            client.join(name, role);
        } else {
            client.joinAsFacilitator(name, key);
        }
        return client;
    }

    private void assertEveryoneSawEverything(long last) {
        Deliveries.assertEveryoneSawEverything(clients, last, Duration.ofSeconds(10));
    }

}

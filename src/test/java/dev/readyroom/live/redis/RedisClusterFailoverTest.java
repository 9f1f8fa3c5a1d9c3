package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.LiveStoreUnavailableException;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.live.WireFormat;
import dev.readyroom.testkit.RedisClusterServers;
import dev.readyroom.testkit.RedisClusterServers.Node;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A master of a real Redis Cluster (three masters, a replica each) killed, its replica promoted:
 * the rooms it served go on. Replication is asynchronous, so a change acknowledged by the master
 * but not yet on its replica is lost with it; with {@code wait-replicas} 1 a change is acknowledged
 * only once its replica holds it, so no acknowledged change is lost.
 */
class RedisClusterFailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration FAILOVER = Duration.ofSeconds(20);
    private static RedisClusterServers cluster;
    private static Vertx vertx;
    private final WireFormat wire = new WireFormat(new ObjectMapper());
    private final List<Redis> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterServers.started(1);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopCluster() {
        vertx.closeAndAwait();
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Redis::close);
    }

    private RedisRoomStore store(int waitReplicas) {
        Redis client = RedisClusterStoreTest.clusterClient(vertx, cluster.url(), 4);
        clients.add(client);
        return new RedisRoomStore(client, Duration.ofHours(1), new KeptPerRoom(100, 1 << 20, 100, 1 << 20),
                Clock.systemUTC(), new RedisLayout(true, waitReplicas, Duration.ofMillis(300)),
                RedisRoomStore.OutboxWritten.NOBODY);
    }

    /** A room with a facilitator and an open round, on a master that has a live replica. */
    private String roomWithOpenRound(RedisRoomStore store) {
        String roomId;
        Node master;
        do {
            roomId = Secrets.roomId();
            master = cluster.masterOf(RedisKeys.room(roomId));
        } while (!hasReplica(master));
        store.create(RoomState.create(roomId, "Failover", Decks.FIBONACCI, new Settings(false), "h", 100), "e1")
                .await().atMost(WAIT);
        change(store, roomId, new RoomCommand.Join("fa", "Fran", Role.VOTER, "tf", "a/1"), Actor.SYSTEM, null);
        change(store, roomId, new RoomCommand.ClaimFacilitator("fa"), Actor.SYSTEM, null);
        change(store, roomId, new RoomCommand.AddItem("Story", "", null, null), Actor.participant("fa"), null);
        String itemId = store.cached(roomId).state().items().get(0).id();
        change(store, roomId, new RoomCommand.SelectItem(itemId), Actor.participant("fa"), null);
        return roomId;
    }

    private static boolean hasReplica(Node master) {
        try {
            cluster.replicaOf(master);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Freezes the replica ({@code kill -STOP}) and cuts its link, so the master's writes stay with the
     * master (as in a partition, or a master that dies before it sends them), and waits
     * until the cluster has marked it failed and the node's client left it out: the client connects
     * to every node the cluster lists, and one that hangs would hold its commands.
     */
    private void freeze(Node replica, Node master, RedisRoomStore node, String roomId) throws Exception {
        replica.process().signal("STOP");
        await("the frozen replica marked failed").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.cli(master, "CLUSTER", "NODES").lines()
                        .anyMatch(line -> line.contains(":" + replica.port() + "@") && line.contains("fail")));
        // Bytes already sent would wait in the frozen replica's socket and reach it when it thaws: cut the link.
        cluster.cli(master, "CLIENT", "KILL", "TYPE", "replica");
        await("the node's client leaves the frozen replica out").atMost(WAIT).ignoreExceptions()
                .until(() -> node.load(roomId).await().atMost(Duration.ofMillis(500)) != null);
    }

    /** The master of the room killed while its replica is frozen, then the replica promoted. */
    private void failOverWithReplicaBehind(Node master, Node replica) throws Exception {
        cluster.kill(master);
        replica.process().signal("CONT");
        cluster.awaitPromoted(replica, FAILOVER);
    }

    @Test
    void aKilledMastersRoomsGoOnOnItsReplicaButAChangeNotYetReplicatedIsLost() throws Exception {
        RedisRoomStore node = store(0);
        String roomId = roomWithOpenRound(node);
        Node master = cluster.masterOf(RedisKeys.room(roomId));
        Node replica = cluster.replicaOf(master);
        cluster.awaitInSync(master);
        long replicated = node.cached(roomId).state().version();

        freeze(replica, master, node, roomId);
        StoredRoom acknowledged = change(node, roomId, new RoomCommand.CastVote("5", List.of()),
                Actor.participant("fa"), "fa:v-1");
        failOverWithReplicaBehind(master, replica);

        StoredRoom after = await("the room served by the promoted replica").atMost(FAILOVER).ignoreExceptions()
                .until(() -> store(0).load(roomId).await().atMost(Duration.ofSeconds(2)), room -> room != null);
        assertThat(acknowledged.state().version()).isEqualTo(replicated + 1);
        assertThat(after.state().version()).as("the acknowledged vote is lost with the master").isEqualTo(replicated);
        assertThat(after.state().round().votes()).isEmpty();
        // The node's copy is ahead of Redis now: its next change is decided again on the room as it is.
        StoredRoom revoted = await().atMost(FAILOVER).ignoreExceptions().until(() -> change(node, roomId,
                new RoomCommand.CastVote("8", List.of()), Actor.participant("fa"), "fa:v-2"), room -> room != null);
        assertThat(revoted.state().version()).isEqualTo(replicated + 1);
        assertThat(revoted.epoch()).as("a new epoch: clients that saw the lost vote start over").isNotEqualTo("e1");
        assertThat(after.epoch()).isEqualTo("e1");
        assertThat(store(0).load(roomId).await().atMost(WAIT).state().round().votes().get("fa").value())
                .isEqualTo("8");
    }

    @Test
    void withWaitReplicasEveryAcknowledgedChangeSurvivesTheFailover() throws Exception {
        RedisRoomStore node = store(1);
        String roomId = roomWithOpenRound(node);
        Node master = cluster.masterOf(RedisKeys.room(roomId));
        Node replica = cluster.replicaOf(master);
        StoredRoom acknowledged = change(node, roomId, new RoomCommand.CastVote("5", List.of()),
                Actor.participant("fa"), "fa:v-1");

        freeze(replica, master, node, roomId);
        assertThatThrownBy(() -> change(node, roomId, new RoomCommand.CastVote("8", List.of()),
                Actor.participant("fa"), "fa:v-2")).as("not on the replica in time: not acknowledged")
                .isInstanceOf(LiveStoreUnavailableException.class);
        failOverWithReplicaBehind(master, replica);

        StoredRoom after = await("the room served by the promoted replica").atMost(FAILOVER).ignoreExceptions()
                .until(() -> store(0).load(roomId).await().atMost(Duration.ofSeconds(2)), room -> room != null);
        assertThat(after.state().version()).as("every acknowledged change").isEqualTo(acknowledged.state().version());
        assertThat(after.state().round().votes().get("fa").value()).isEqualTo("5");

        // The new master has no replica until the old one is back: changes are not acknowledged meanwhile.
        await("the node's client finds the new master").atMost(FAILOVER).ignoreExceptions()
                .until(() -> node.load(roomId).await().atMost(Duration.ofSeconds(2)) != null);
        assertThatThrownBy(() -> change(node, roomId, new RoomCommand.CastVote("8", List.of()),
                Actor.participant("fa"), "fa:v-2")).isInstanceOf(LiveStoreUnavailableException.class);
        assertThatThrownBy(() -> attempt(node, node.cached(roomId), new RoomCommand.CastVote("8", List.of()),
                Actor.participant("fa"), "fa:v-2")).as("its retry, answered but on no replica")
                .isInstanceOf(LiveStoreUnavailableException.class);
        cluster.restart(master);
        await("the old master back as a replica").atMost(FAILOVER)
                .until(() -> cluster.cli(master, "ROLE").startsWith("slave"));
        cluster.awaitInSync(replica);
        // The client's retry of the same opId: committed on the new master before, acknowledged now.
        RoomStore.CommitAttempt retried = await().atMost(WAIT).ignoreExceptions().until(() -> attempt(node,
                node.cached(roomId),
                new RoomCommand.CastVote("8", List.of()), Actor.participant("fa"), "fa:v-2"), found -> found != null);
        assertThat(retried.committed() || retried.found().reply() != null).isTrue();
        StoredRoom last = store(0).load(roomId).await().atMost(WAIT);
        assertThat(last.state().round().votes().get("fa").value()).isEqualTo("8");
        assertThat(last.epoch()).as("a failover starts a new epoch").isNotEqualTo("e1");
    }

    /** Decides on the node's copy and commits, deciding again on the room it finds if it was behind. */
    private StoredRoom change(RedisRoomStore store, String roomId, RoomCommand command, Actor actor, String opKey) {
        StoredRoom room = store.cached(roomId);
        for (int attempt = 0; attempt < 3; attempt++) {
            RoomStore.CommitAttempt tried = attempt(store, room, command, actor, opKey);
            if (tried.committed()) {
                return store.cached(roomId);
            }
            assertThat(tried.found().reply()).as("answered before").isNull();
            room = tried.found().room();
        }
        throw new AssertionError("not committed: " + command);
    }

    private RoomStore.CommitAttempt attempt(RedisRoomStore store, StoredRoom room, RoomCommand command, Actor actor,
            String opKey) {
        Decision decision = RoomRules.decide(room.state(), command, actor);
        assertThat(decision).as(command.toString()).isInstanceOf(Decision.Accepted.class);
        RoomState next = RoomRules.apply(room.state(), ((Decision.Accepted) decision).event());
        PublishedEvent event = wire.event(((Decision.Accepted) decision).event(), next, room.epoch());
        return store.commitUnlessAnswered(room.state().version(), next, event, opKey, opKey == null ? null : "ack")
                .await().atMost(WAIT);
    }
}

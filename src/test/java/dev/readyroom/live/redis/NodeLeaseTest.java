package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.live.NodeLiveness;
import dev.readyroom.testkit.RedisServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Node leases on a real Redis of the test's own; each node on a Vert.x of its own, as a process has. */
class NodeLeaseTest {
    private static final Duration LEASE = Duration.ofMillis(800);
    private static RedisServer redis;
    private final List<Vertx> vertxes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.started();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        vertxes.forEach(vertx -> vertx.closeAndAwait());
        redis.cli("FLUSHALL");
    }

    /** What one node was told. */
    private static final class Heard implements NodeLiveness.Listener {
        final List<String> gone = new CopyOnWriteArrayList<>();
        final AtomicInteger givenUp = new AtomicInteger();

        @Override
        public Uni<Void> nodeGone(String nodeId, String roomId) {
            gone.add(nodeId + " " + roomId);
            return Uni.createFrom().voidItem();
        }

        @Override
        public void givenUpForDead() {
            givenUp.incrementAndGet();
        }
    }

    private record Node(NodeLease lease, Heard heard, Vertx vertx) {
    }

    private Node node(String id) {
        // One event loop: blocking it pauses the whole node, timers included.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertxes.add(vertx);
        NodeLease lease = new NodeLease(Redis.createClient(vertx, redis.url()), id, vertx, LEASE);
        Heard heard = new Heard();
        lease.listen(heard);
        lease.start();
        return new Node(lease, heard, vertx);
    }

    /** A node serving one room, r1, once Redis lists the room as its. */
    private Node servingOneRoom(String id) {
        Node node = node(id);
        node.lease().serving("r1");
        awaitRoomsListed(id, 1);
        return node;
    }

    private static void awaitListed(String... ids) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                redis.cli("ZRANGE", RedisKeys.NODES, "0", "-1").lines().toList()).contains(ids));
    }

    private static void awaitRoomsListed(String id, int rooms) {
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.cli("SCARD", RedisKeys.nodeRooms(id))
                .equals(Integer.toString(rooms)));
    }

    @Test
    void aDeadNodesRoomsAreHandedToExactlyOneLiveNode() {
        Node dying = node("dying");
        Node a = node("a");
        Node b = node("b");
        dying.lease().serving("r1");
        dying.lease().serving("r2");
        dying.lease().serving("r3");
        dying.lease().notServing("r3");
        awaitListed("dying", "a", "b");
        awaitRoomsListed("dying", 2);

        dying.vertx().closeAndAwait(); // as kill -9: no renewal, no goodbye

        await().atMost(LEASE.multipliedBy(4)).until(() -> a.heard().gone.size() + b.heard().gone.size() == 2);
        List<String> gone = new CopyOnWriteArrayList<>(a.heard().gone);
        gone.addAll(b.heard().gone);
        assertThat(gone).containsExactlyInAnyOrder("dying r1", "dying r2");
        await().atMost(Duration.ofSeconds(2)).until(() -> redis.cli("EXISTS", RedisKeys.nodeRooms("dying")).equals("0"));
        assertThat(redis.cli("ZRANGE", RedisKeys.NODES, "0", "-1").lines()).containsExactlyInAnyOrder("a", "b");
        // Live nodes are never taken.
        assertThat(a.heard().givenUp.get() + b.heard().givenUp.get()).isZero();
    }

    @Test
    void aNodeThatStopsInOrderIsNotTakenForDead() throws Exception {
        Node leaving = servingOneRoom("leaving");
        Node a = node("a");
        awaitListed("leaving", "a");

        leaving.lease().stop().await().atMost(Duration.ofSeconds(2));
        leaving.vertx().closeAndAwait();

        assertThat(redis.cli("ZRANGE", RedisKeys.NODES, "0", "-1").lines()).containsExactly("a");
        assertThat(redis.cli("EXISTS", RedisKeys.nodeRooms("leaving"))).isEqualTo("0");
        Thread.sleep(LEASE.multipliedBy(2).toMillis()); // past its lease: nothing may happen
        assertThat(a.heard().gone).isEmpty();
    }

    @Test
    void aPausedNodeIsTakenAndLearnsItWhenItWakes() throws Exception {
        Node paused = servingOneRoom("paused");
        Node a = node("a");
        awaitListed("paused", "a");

        // Its only event loop blocked for three leases: a stalled VM, as far as Redis can tell.
        paused.vertx().runOnContext(() -> sleep(LEASE.multipliedBy(3)));

        await().atMost(LEASE.multipliedBy(4)).until(() -> a.heard().gone.equals(List.of("paused r1")));
        await().atMost(LEASE.multipliedBy(4)).until(() -> paused.heard().givenUp.get() == 1);
        // Listed again, with its rooms, for the next time it dies.
        awaitListed("paused", "a");
        awaitRoomsListed("paused", 1);
        assertThat(a.heard().givenUp.get()).isZero();
    }

    @Test
    void whenRedisComesBackNoNodeIsTakenForDeadAndAnEmptyRedisIsRefilled() throws Exception {
        Node a = servingOneRoom("a");
        Node b = node("b");
        awaitListed("a", "b");

        // Hung for three leases: every lease in Redis runs out.
        redis.signal("STOP");
        try {
            Thread.sleep(LEASE.multipliedBy(3).toMillis());
        } finally {
            redis.signal("CONT");
        }
        Thread.sleep(LEASE.multipliedBy(2).toMillis());
        // Down for three leases (its append-only file kept): the first node back must not judge the other.
        redis.kill();
        Thread.sleep(LEASE.multipliedBy(3).toMillis());
        redis.start();
        Thread.sleep(LEASE.multipliedBy(2).toMillis());
        assertThat(a.heard().gone).isEmpty();
        assertThat(b.heard().gone).isEmpty();
        assertThat(a.heard().givenUp.get() + b.heard().givenUp.get()).isZero();

        // Flushed: each node lists itself and its rooms again, and nobody thinks it was taken.
        redis.cli("FLUSHALL");
        awaitListed("a", "b");
        awaitRoomsListed("a", 1);
        assertThat(a.heard().givenUp.get() + b.heard().givenUp.get()).isZero();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

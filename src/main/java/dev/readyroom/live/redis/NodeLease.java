package dev.readyroom.live.redis;

import dev.readyroom.live.NodeLiveness;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Each node holds a lease in Redis ({@code rr:nodes}, node id by the Redis time its lease ends),
 * renewed four times a lease, and lists the rooms it has members in ({@code rr:node:<id>:rooms}).
 * A node whose lease ran out died without stopping: the first live node to see it takes it off
 * {@code rr:nodes} (one script, so only one node does) and shows its participants in each of its
 * rooms away. A node only judges others after holding its own lease for a whole lease period, so
 * that after Redis comes back every node has renewed before any is given up.
 *
 * <p>A node that was only paused finds out at its next renewal (a marker the taker leaves) and has
 * its clients connect again, since the room shows them away.
 */
public class NodeLease implements NodeLiveness {
    private static final Logger LOG = Logger.getLogger(NodeLease.class);
    private static final String NODES = RedisKeys.NODES;
    /** Nodes taken per look; the rest wait for the next renewal. */
    private static final int TAKEN_AT_ONCE = 16;
    private static final long MARKER_KEPT_MILLIS = Duration.ofDays(1).toMillis();

    /** ARGV: node id, lease ms. Renews the lease by Redis' clock; 1 if the node was not listed. */
    static final RedisScripts.Script RENEW = RedisScripts.Script.of("""
            local now = redis.call('TIME')
            local until_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[2])
            return redis.call('ZADD', KEYS[1], until_ms, ARGV[1])
            """);

    /**
     * ARGV: how many, the caller's id, lease ms. Takes nodes whose lease ended off the list and
     * returns their ids; nothing unless the caller renewed within half a lease, so a call that
     * waited in a hung Redis cannot judge nodes whose renewals waited behind it.
     */
    static final RedisScripts.Script TAKE_EXPIRED = RedisScripts.Script.of("""
            local now = redis.call('TIME')
            local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
            local mine = redis.call('ZSCORE', KEYS[1], ARGV[2])
            if not mine or tonumber(mine) < now_ms + tonumber(ARGV[3]) / 2 then return {} end
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms, 'LIMIT', 0, tonumber(ARGV[1]))
            for _, id in ipairs(expired) do redis.call('ZREM', KEYS[1], id) end
            return expired
            """);

    /** ARGV: room ids. Replaces the set at KEYS[1] with them, in steps that Lua's stack holds. */
    static final RedisScripts.Script REPLACE_ROOMS = RedisScripts.Script.of("""
            redis.call('DEL', KEYS[1])
            for i = 1, #ARGV, 1000 do
              redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            return #ARGV
            """);

    private final Redis commands;
    private final String nodeId;
    private final Vertx vertx;
    private final long leaseMillis;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final AtomicBoolean taking = new AtomicBoolean();
    private volatile Listener listener = new Listener() {
        @Override
        public Uni<Void> nodeGone(String nodeId, String roomId) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public void givenUpForDead() {
        }
    };
    /** Changes to {@code rooms}, and how many of them the list in Redis has. */
    private final AtomicLong roomChanges = new AtomicLong(1);
    private volatile long roomChangesWritten;
    private CompletableFuture<Void> roomListWrites = CompletableFuture.completedFuture(null);
    private volatile boolean listed;
    /** Since when every renewal succeeded; 0 after a failure. */
    private volatile long heldSinceMillis;
    private long timer = -1;

    public NodeLease(Redis commands, String nodeId, Vertx vertx, Duration lease) {
        this.commands = commands;
        this.nodeId = nodeId;
        this.vertx = vertx;
        this.leaseMillis = lease.toMillis();
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    public void start() {
        timer = vertx.setPeriodic(Math.max(1, leaseMillis / 4), id -> renew());
        renew();
    }

    /** A node that stops in order has shown its participants away: it leaves the list. */
    public Uni<Void> stop() {
        vertx.cancelTimer(timer);
        return Uni.combine().all().unis(
                        commands.send(Request.cmd(Command.ZREM).arg(NODES).arg(nodeId)),
                        commands.send(Request.cmd(Command.DEL).arg(RedisKeys.nodeRooms(nodeId))))
                .discardItems()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onFailure().invoke(e -> LOG.debugf("Could not leave the node list: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * This node has members in {@code roomId} now. Listed at once, so that its participants are
     * found if the node dies right after; the list is also rewritten whole at the next renewal.
     */
    public void serving(String roomId) {
        rooms.add(roomId);
        roomChanges.incrementAndGet();
        inOrder(() -> commands.send(Request.cmd(Command.SADD).arg(RedisKeys.nodeRooms(nodeId)).arg(roomId)).replaceWithVoid());
    }

    /** This node's last member of {@code roomId} left: the room leaves the list at the next renewal. */
    public void notServing(String roomId) {
        rooms.remove(roomId);
        roomChanges.incrementAndGet();
    }

    private void renew() {
        if (!renewing.compareAndSet(false, true)) {
            return;
        }
        script(RENEW, NODES, nodeId, Long.toString(leaseMillis))
                .ifNoItem().after(Duration.ofMillis(Math.max(1, leaseMillis / 4))).fail()
                .flatMap(added -> {
                    // Not listed: the first renewal, or another node took this one, or Redis lost the list.
                    boolean relisted = added.toInteger() == 1;
                    return (relisted && listed ? wasTaken() : Uni.createFrom().item(false)).flatMap(taken -> {
                        if (heldSinceMillis == 0) {
                            heldSinceMillis = System.currentTimeMillis();
                        }
                        listed = true;
                        if (taken) {
                            LOG.warn("The other nodes gave this node up for dead (paused or cut off from Redis"
                                    + " for longer than its lease); its clients connect again");
                            listener.givenUpForDead();
                        }
                        if (relisted || roomChanges.get() != roomChangesWritten) {
                            inOrder(this::writeRooms);
                        }
                        return Uni.createFrom().voidItem();
                    });
                })
                .onTermination().invoke(() -> renewing.set(false))
                .subscribe().with(ignored -> {
                    if (System.currentTimeMillis() - heldSinceMillis >= leaseMillis) {
                        takeExpired();
                    }
                }, failure -> {
                    heldSinceMillis = 0;
                    LOG.debugf("Could not renew the node's lease: %s", failure.getMessage());
                });
    }

    /** Whether another node took this one off the list (rather than Redis having lost it). */
    private Uni<Boolean> wasTaken() {
        return commands.send(Request.cmd(Command.GETDEL).arg(RedisKeys.nodeTaken(nodeId))).map(marker -> marker != null);
    }

    /**
     * Sends the writes of the room list one after the other: on a pool of connections a room's
     * addition could otherwise land after a later rewrite that had left it out, or the reverse.
     */
    private synchronized void inOrder(Supplier<Uni<Void>> write) {
        roomListWrites = roomListWrites.handle((ignored, failure) -> null)
                .thenCompose(ignored -> write.get().ifNoItem().after(Duration.ofSeconds(1)).fail()
                        .subscribeAsCompletionStage())
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        LOG.debugf("Could not write this node's room list: %s", failure.getMessage());
                    }
                });
    }

    /** Replaces the node's room list in Redis with the rooms it serves now. */
    private Uni<Void> writeRooms() {
        long changes = roomChanges.get();
        List<String> serving = List.copyOf(rooms);
        return script(REPLACE_ROOMS, RedisKeys.nodeRooms(nodeId), serving.toArray(String[]::new))
                .invoke(() -> roomChangesWritten = changes).replaceWithVoid();
    }

    /** Apart from the renewals, which must go on however long showing a dead node's participants away takes. */
    private void takeExpired() {
        if (!taking.compareAndSet(false, true)) {
            return;
        }
        script(TAKE_EXPIRED, NODES, Integer.toString(TAKEN_AT_ONCE), nodeId, Long.toString(leaseMillis))
                .flatMap(expired -> {
                    List<String> ids = new ArrayList<>();
                    expired.forEach(id -> ids.add(id.toString()));
                    return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(this::release)
                            .collect().last();
                })
                .onTermination().invoke(() -> taking.set(false))
                .subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Could not look for dead nodes: %s", failure.getMessage()));
    }

    /** Shows the participants of the dead node {@code deadId} away, room by room. */
    private Uni<Void> release(String deadId) {
        LOG.infof("Node %s stopped renewing its lease; showing its participants away", deadId);
        Request mark = Request.cmd(Command.SET).arg(RedisKeys.nodeTaken(deadId)).arg("1").arg("PX").arg(MARKER_KEPT_MILLIS);
        return commands.send(mark)
                .flatMap(ignored -> commands.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.nodeRooms(deadId))))
                .flatMap(members -> {
                    List<String> roomIds = new ArrayList<>();
                    members.forEach(roomId -> roomIds.add(roomId.toString()));
                    return Multi.createFrom().iterable(roomIds)
                            .onItem().transformToUni(roomId -> listener.nodeGone(deadId, roomId)
                                    .onFailure().invoke(e -> LOG.warnf("Could not show node %s's participants"
                                            + " of room %s away: %s", deadId, roomId, e.getMessage()))
                                    .onFailure().recoverWithNull())
                            .merge(8).collect().last();
                })
                .flatMap(ignored -> commands.send(Request.cmd(Command.DEL).arg(RedisKeys.nodeRooms(deadId))))
                .replaceWithVoid();
    }

    private Uni<Response> script(RedisScripts.Script script, String key, String... args) {
        return RedisScripts.run(commands, script, List.of(key), (Object[]) args);
    }
}

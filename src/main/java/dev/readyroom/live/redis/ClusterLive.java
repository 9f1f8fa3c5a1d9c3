package dev.readyroom.live.redis;

import dev.readyroom.config.ClusterConfig;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.config.RecordConfig;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.NodeIdentity;
import dev.readyroom.live.NodeLiveness;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RecordStatus;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Cluster mode: the live state in Redis, events through Redis pub/sub, the record's outbox a
 * Redis Stream. Built only in cluster mode ({@link dev.readyroom.config.Mode}). Two clients: a
 * pool for commands, and one for the node's single pub/sub connection, which must never be handed
 * back to the pool; the outbox has a third of its own.
 */
@ApplicationScoped
public class ClusterLive {
    private static final Logger LOG = Logger.getLogger(ClusterLive.class);

    private final ClusterConfig cluster;
    private final ReadyRoomConfig config;
    private final Vertx vertx;
    private final String nodeId;
    private Redis commands;
    private Redis events;
    private RedisRoomStore store;
    private RedisRoomBus bus;
    private NodeLease lease;
    private final RedisStreamRecordOutbox outbox;

    public ClusterLive(ClusterConfig cluster, ReadyRoomConfig config, Vertx vertx, NodeIdentity node,
            RecordSink record, RecordStatus recordStatus, RecordConfig recordConfig) {
        this.nodeId = node.id();
        this.cluster = cluster;
        this.config = config;
        this.vertx = vertx;
        this.outbox = new RedisStreamRecordOutbox(record, recordStatus, recordConfig, vertx);
    }

    @PostConstruct
    void start() {
        String url = cluster.redisUrl().orElseThrow(() -> new IllegalStateException("REDIS_URL is not set"));
        commands = Redis.createClient(vertx, options(url, cluster.poolSize()));
        events = Redis.createClient(vertx, options(url, 1));
        store = new RedisRoomStore(commands, config.live().roomIdleExpiry(), KeptPerRoom.of(config.live()),
                Clock.systemUTC());
        lease = new NodeLease(commands, nodeId, vertx, cluster.nodeLease());
        bus = new RedisRoomBus(events, commands, nodeId, store, lease, vertx, cluster.resubscribeMinBackoff(),
                cluster.resubscribeMaxBackoff(), cluster.connectTimeout());
        bus.start();
        lease.start();
        outbox.start(url);
        LOG.infof("Cluster mode: live rooms in Redis at %s (node %s)", redacted(url), nodeId);
    }

    private RedisOptions options(String url, int poolSize) {
        RedisOptions options = new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(poolSize * 64)
                .setMaxWaitingHandlers(4096);
        NetClientOptions net = options.getNetClientOptions();
        net.setConnectTimeout((int) cluster.connectTimeout().toMillis()).setTcpNoDelay(true).setTcpKeepAlive(true);
        return options;
    }

    /** Never log a password that may be part of the URL. */
    private static String redacted(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @PreDestroy
    void stop() {
        // The orderly stop has shown this node's participants away already.
        lease.stop().await().indefinitely();
        bus.stop();
        outbox.stop();
        commands.close();
        events.close();
    }

    public RoomStore store() {
        return store;
    }

    public RoomBus bus() {
        return bus;
    }

    public RecordOutbox outbox() {
        return outbox;
    }

    public NodeLiveness liveness() {
        return lease;
    }

    /** Up when Redis takes a write and the node is subscribed to its rooms' events. */
    public Uni<String> probe() {
        if (!bus.subscribed()) {
            return Uni.createFrom().failure(new IllegalStateException("not subscribed to room events"));
        }
        return store.probe(nodeId).replaceWith("up");
    }
}

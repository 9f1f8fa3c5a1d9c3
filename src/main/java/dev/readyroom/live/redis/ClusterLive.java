package dev.readyroom.live.redis;

import dev.readyroom.config.ClusterConfig;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.config.RecordConfig;
import dev.readyroom.config.RedisConfig;
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
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Cluster mode: the live state in Redis, events through Redis pub/sub, the record's outbox a
 * Redis Stream. Built only in cluster mode ({@link dev.readyroom.config.Mode}), on one Redis or on
 * a Redis Cluster ({@link RedisConfig#cluster}). A pool for commands, a client of its own for the
 * node's pub/sub connection (which must never be handed back to a pool), and one for the outbox.
 */
@ApplicationScoped
public class ClusterLive {
    private static final Logger LOG = Logger.getLogger(ClusterLive.class);

    private final ClusterConfig cluster;
    private final ReadyRoomConfig config;
    private final Vertx vertx;
    private final String nodeId;
    private final RedisLayout layout;
    private Redis commands;
    private Redis outboxClient;
    private RedisRoomStore store;
    private RedisRoomBus bus;
    private NodeLease lease;
    private final RedisStreamRecordOutbox outbox;

    public ClusterLive(ClusterConfig cluster, RedisConfig redisConfig, ReadyRoomConfig config, Vertx vertx,
            NodeIdentity node, RecordSink record, RecordStatus recordStatus, RecordConfig recordConfig) {
        this.nodeId = node.id();
        this.cluster = cluster;
        this.config = config;
        this.vertx = vertx;
        this.layout = new RedisLayout(redisConfig.cluster(), redisConfig.waitReplicas(), redisConfig.waitTimeout());
        this.outbox = new RedisStreamRecordOutbox(record, recordStatus, recordConfig, vertx, layout.sharded());
    }

    @PostConstruct
    void start() {
        String url = cluster.redisUrl().orElseThrow(() -> new IllegalStateException("REDIS_URL is not set"));
        commands = Redis.createClient(vertx, options(url, cluster.poolSize()));
        outboxClient = Redis.createClient(vertx, options(url, 4).setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxPoolWaiting(256));
        store = new RedisRoomStore(commands, config.live().roomIdleExpiry(), KeptPerRoom.of(config.live()),
                Clock.systemUTC(), layout, outbox::written);
        lease = new NodeLease(commands, nodeId, vertx, cluster.nodeLease());
        bus = new RedisRoomBus(() -> Redis.createClient(vertx, options(url, 1)), commands, nodeId, store, lease, vertx,
                cluster.resubscribeMinBackoff(), cluster.resubscribeMaxBackoff(), cluster.connectTimeout(),
                layout.sharded());
        bus.start();
        lease.start();
        outbox.start(outboxClient);
        LOG.infof("Cluster mode: live rooms in %s at %s (node %s%s)", layout.sharded() ? "a Redis Cluster" : "Redis",
                redacted(url), nodeId, layout.waitReplicas() > 0
                        ? ", changes acknowledged once on " + layout.waitReplicas() + " replicas" : "");
    }

    /**
     * One Redis, or (Redis Cluster) its seed nodes: {@code REDIS_URL} then lists them, comma-separated,
     * each a URL or {@code host:port} (taking the first one's scheme and credentials).
     */
    private RedisOptions options(String url, int poolSize) {
        RedisOptions options = new RedisOptions()
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(poolSize * 64)
                .setMaxWaitingHandlers(4096);
        if (layout.sharded()) {
            options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
            seeds(url).forEach(options::addConnectionString);
        } else {
            options.setConnectionString(url);
        }
        NetClientOptions net = options.getNetClientOptions();
        net.setConnectTimeout((int) cluster.connectTimeout().toMillis()).setTcpNoDelay(true).setTcpKeepAlive(true);
        return options;
    }

    static List<String> seeds(String url) {
        List<String> seeds = new ArrayList<>();
        String prefix = null;
        for (String part : url.split(",")) {
            String seed = part.trim();
            if (seed.isEmpty()) {
                continue;
            }
            if (seed.contains("://")) {
                if (prefix == null) {
                    int at = seed.lastIndexOf('@');
                    prefix = seed.substring(0, at >= 0 ? at + 1 : seed.indexOf("://") + 3);
                }
                seeds.add(seed);
            } else {
                seeds.add((prefix == null ? "redis://" : prefix) + seed);
            }
        }
        return seeds;
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
        outboxClient.close();
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

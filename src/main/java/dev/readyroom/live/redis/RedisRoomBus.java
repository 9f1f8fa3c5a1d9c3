package dev.readyroom.live.redis;

import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomBus;
import dev.readyroom.live.RoomStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The cluster bus: one pub/sub connection per node, subscribed to the channel of each room that has
 * members on this node (on a Redis Cluster, the room's sharded channel with SSUBSCRIBE, which the
 * client sends to the master of the room's slot: the connection is then one per master). The
 * connection is supervised, because the Redis client does not resubscribe
 * by itself: when it ends, fails, or stops carrying the node's own heartbeat (published every second
 * through the command pool), the node reconnects with backoff, subscribes again and fills each
 * room's gap from its stream.
 */
public class RedisRoomBus implements RoomBus {
    private static final Logger LOG = Logger.getLogger(RedisRoomBus.class);
    private static final long BEAT_EVERY_MILLIS = 1000;
    private static final long BEAT_MISSED_AFTER_MILLIS = 3000;

    private final Supplier<Redis> clients;
    private final boolean sharded;
    private final Redis commands;
    private final String heartbeatChannel;
    private final RoomStore store;
    private final NodeLease lease;
    private final Vertx vertx;
    private final long minBackoffMillis;
    private final long maxBackoffMillis;
    private final long connectTimeoutMillis;
    private final Map<String, Set<RoomFeed>> feeds = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    /** A client of its own for each connection: its pool must never take a subscribed connection back. */
    private volatile Redis client;
    private volatile RedisConnection connection;
    private volatile boolean subscribed;
    private volatile boolean stopped;
    private volatile long backoffMillis;
    private volatile long lastBeatMillis;
    private long beatTimer = -1;

    public RedisRoomBus(Supplier<Redis> clients, Redis commands, String nodeId, RoomStore store, NodeLease lease,
            Vertx vertx, Duration minBackoff, Duration maxBackoff, Duration connectTimeout, boolean sharded) {
        this.lease = lease;
        this.clients = clients;
        this.sharded = sharded;
        this.commands = commands;
        this.heartbeatChannel = RedisKeys.node(nodeId);
        this.store = store;
        this.vertx = vertx;
        this.minBackoffMillis = Math.max(1, minBackoff.toMillis());
        this.maxBackoffMillis = Math.max(minBackoffMillis, maxBackoff.toMillis());
        this.connectTimeoutMillis = connectTimeout.toMillis();
        this.backoffMillis = minBackoffMillis;
    }

    public void start() {
        beatTimer = vertx.setPeriodic(BEAT_EVERY_MILLIS, id -> beat());
        connect();
    }

    public void stop() {
        stopped = true;
        vertx.cancelTimer(beatTimer);
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close().subscribe().with(ignored -> {
            }, failure -> {
            });
        }
        Redis last = client;
        if (last != null) {
            last.close();
        }
    }

    /** True while every room of this node is subscribed: readiness depends on it. */
    public boolean subscribed() {
        return subscribed;
    }

    @Override
    public Subscription subscribe(String roomId, String epoch, long afterVersion, Listener listener) {
        RoomFeed[] created = new RoomFeed[1];
        boolean[] channelWasSubscribed = new boolean[1];
        feeds.compute(roomId, (id, set) -> {
            channelWasSubscribed[0] = set != null;
            Set<RoomFeed> roomFeeds = set == null ? ConcurrentHashMap.newKeySet() : set;
            created[0] = new RoomFeed(roomId, epoch, afterVersion, listener, store, vertx,
                    () -> forget(roomId, created[0]));
            roomFeeds.add(created[0]);
            if (set == null) {
                send(subscription(roomId), created[0]);
                lease.serving(roomId);
            }
            return roomFeeds;
        });
        if (channelWasSubscribed[0]) {
            // Events since afterVersion may have passed by already, to the room's other feed.
            created[0].fill();
        }
        return created[0];
    }

    private void forget(String roomId, RoomFeed feed) {
        feeds.computeIfPresent(roomId, (id, set) -> {
            set.remove(feed);
            if (set.isEmpty()) {
                send(sharded ? Request.cmd(Command.SUNSUBSCRIBE).arg(RedisKeys.shardChannel(roomId))
                        : Request.cmd(Command.UNSUBSCRIBE).arg(RedisKeys.channel(roomId)), null);
                lease.notServing(roomId);
                return null;
            }
            return set;
        });
    }

    private Request subscription(String roomId) {
        return sharded ? Request.cmd(Command.SSUBSCRIBE).arg(RedisKeys.shardChannel(roomId))
                : Request.cmd(Command.SUBSCRIBE).arg(RedisKeys.channel(roomId));
    }

    /** Sends a (un)subscription on the current connection; a new room is filled once it is subscribed. */
    private void send(Request request, RoomFeed fillWhenDone) {
        RedisConnection current = connection;
        if (current == null) {
            return; // the next connection subscribes every room
        }
        current.send(request).subscribe().with(ignored -> {
            if (fillWhenDone != null) {
                fillWhenDone.fill();
            }
        }, failure -> lost(current, failure));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        long attempt = attempts.incrementAndGet();
        Redis previous = client;
        if (previous != null) {
            previous.close();
        }
        Redis fresh = clients.get();
        client = fresh;
        long timer = vertx.setTimer(connectTimeoutMillis + 1000, id -> {
            if (attempts.compareAndSet(attempt, attempt + 1)) {
                LOG.warn("Redis did not accept the event subscription in time; retrying");
                retryLater();
            }
        });
        fresh.connect().subscribe().with(opened -> {
            vertx.cancelTimer(timer);
            if (stopped || attempts.get() != attempt) {
                opened.close().subscribe().with(ignored -> {
                }, failure -> {
                });
                return;
            }
            connected(opened);
        }, failure -> {
            vertx.cancelTimer(timer);
            if (attempts.compareAndSet(attempt, attempt + 1)) {
                LOG.debugf("Redis event subscription could not connect: %s", failure.getMessage());
                retryLater();
            }
        });
    }

    private void connected(RedisConnection opened) {
        opened.handler(this::received);
        opened.exceptionHandler(failure -> lost(opened, failure));
        opened.endHandler(() -> lost(opened, null));
        connection = opened;
        List<String> rooms = List.copyOf(feeds.keySet());
        Request subscribe = Request.cmd(Command.SUBSCRIBE).arg(heartbeatChannel);
        Uni<?> subscribing;
        if (sharded) {
            // Each sharded channel to the master of its slot: one SSUBSCRIBE per room.
            List<Uni<Response>> each = new ArrayList<>();
            each.add(opened.send(subscribe));
            rooms.forEach(roomId -> each.add(opened.send(subscription(roomId))));
            subscribing = Uni.join().all(each).andFailFast();
        } else {
            rooms.forEach(roomId -> subscribe.arg(RedisKeys.channel(roomId)));
            subscribing = opened.send(subscribe);
        }
        subscribing.subscribe().with(ignored -> {
            if (connection != opened) {
                return;
            }
            lastBeatMillis = System.currentTimeMillis();
            subscribed = true;
            backoffMillis = minBackoffMillis;
            LOG.infof("Subscribed to the events of %d rooms", rooms.size());
            // Whatever was committed while this node was not listening is in the streams.
            feeds.values().forEach(set -> set.forEach(RoomFeed::fill));
        }, failure -> lost(opened, failure));
    }

    private void lost(RedisConnection lostConnection, Throwable failure) {
        synchronized (this) {
            if (connection != lostConnection) {
                return;
            }
            connection = null;
            subscribed = false;
        }
        LOG.warnf("Lost the Redis event subscription (%s); resubscribing",
                failure == null ? "closed" : failure.getMessage());
        lostConnection.close().subscribe().with(ignored -> {
        }, ignored -> {
        });
        retryLater();
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        vertx.setTimer(delay, id -> connect());
    }

    /**
     * Publishes this node's heartbeat, and replaces a subscription that stopped carrying it (Redis
     * hung, or a connection that died silently). A ping cannot do this: on a subscribed connection
     * its answer arrives as a message, not as a reply.
     */
    private void beat() {
        RedisConnection current = connection;
        if (current == null || !subscribed) {
            return;
        }
        if (System.currentTimeMillis() - lastBeatMillis > BEAT_MISSED_AFTER_MILLIS) {
            lost(current, new IllegalStateException("no heartbeat for " + BEAT_MISSED_AFTER_MILLIS + " ms"));
            return;
        }
        commands.send(Request.cmd(Command.PUBLISH).arg(heartbeatChannel).arg("beat"))
                .ifNoItem().after(Duration.ofMillis(BEAT_EVERY_MILLIS)).fail()
                .subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Heartbeat not published: %s", failure.getMessage()));
    }

    private void received(Response message) {
        if (message == null || message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI
                || message.size() < 3) {
            return;
        }
        String kind = message.get(0).toString();
        String channel = message.get(1).toString();
        if ("sunsubscribe".equals(kind)) {
            String roomId = RedisKeys.roomOfShardChannel(channel);
            RedisConnection current = connection;
            if (roomId != null && feeds.containsKey(roomId) && current != null) {
                // Redis dropped a channel this node still wants: its slot moved (a failover, a resharding).
                lost(current, new IllegalStateException("Redis ended the subscription to " + channel));
            }
            return;
        }
        if (!"message".equals(kind) && !"smessage".equals(kind)) {
            return;
        }
        if (channel.equals(heartbeatChannel)) {
            lastBeatMillis = System.currentTimeMillis();
            return;
        }
        String roomId = sharded ? RedisKeys.roomOfShardChannel(channel)
                : channel.startsWith(RedisKeys.CHANNEL_PREFIX) ? channel.substring(RedisKeys.CHANNEL_PREFIX.length())
                : null;
        if (roomId == null) {
            return;
        }
        Set<RoomFeed> roomFeeds = feeds.get(roomId);
        if (roomFeeds == null) {
            return;
        }
        PublishedEvent event;
        try {
            event = EventCodec.decode(roomId, message.get(2).toString());
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring a message on %s that is not an event: %s", channel, e.getMessage());
            return;
        }
        roomFeeds.forEach(feed -> feed.offer(event));
    }
}

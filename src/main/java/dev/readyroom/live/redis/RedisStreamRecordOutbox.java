package dev.readyroom.live.redis;

import dev.readyroom.config.RecordConfig;
import dev.readyroom.domain.EventType;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RecordStatus;
import dev.readyroom.live.Secrets;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The cluster outbox: a Redis Stream read by a consumer group, one consumer per node. An entry is
 * acknowledged only after its transaction committed, and entries a crashed node read but never
 * acknowledged are claimed by another node, so a node crash loses nothing. Created only when
 * {@code REDIS_URL} is set (see {@link dev.readyroom.live.LiveMode}).
 */
final class RedisStreamRecordOutbox implements RecordOutbox {
    private static final Logger LOG = Logger.getLogger(RedisStreamRecordOutbox.class);
    private static final String STREAM = RedisKeys.OUTBOX;
    private static final String GROUP = RedisKeys.OUTBOX_GROUP;
    private static final int BATCH = 50;
    private static final int PERMANENT_FAILURES_BEFORE_SKIP = 3;

    private record Entry(String id, PublishedEvent event, Instant committedAt) {
    }

    private final RecordSink sink;
    private final RecordStatus status;
    private final RecordConfig config;
    private final Vertx vertx;
    private final String consumer = "node-" + Secrets.participantId();
    private final Map<String, Integer> permanentFailures = new ConcurrentHashMap<>();
    private Redis redis;
    private volatile boolean running;
    private volatile long backlog;
    private long retryMillis = 200;
    private long claimTimer;
    private long backlogTimer;

    RedisStreamRecordOutbox(RecordSink sink, RecordStatus status, RecordConfig config, Vertx vertx) {
        this.sink = sink;
        this.status = status;
        this.config = config;
        this.vertx = vertx;
    }

    /** Connects, joins the consumer group and starts consuming. */
    void start(String redisUrl) {
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
                .setPreferredProtocolVersion(ProtocolVersion.RESP2).setMaxPoolSize(4).setMaxPoolWaiting(256));
        running = true;
        claimTimer = vertx.setPeriodic(config.claimInterval().toMillis(), id -> claimAbandoned());
        backlogTimer = vertx.setPeriodic(1000, id -> refreshBacklog());
        createGroup().subscribe().with(ignored -> consume(), failure -> retryLater(failure));
        LOG.infof("Record outbox: Redis stream %s, group %s, consumer %s", STREAM, GROUP, consumer);
    }

    void stop() {
        running = false;
        if (redis != null) {
            vertx.cancelTimer(claimTimer);
            vertx.cancelTimer(backlogTimer);
            redis.close();
        }
    }

    /**
     * Only a room's creation is appended here: every committed event that matters to the record is
     * appended by the cluster's commit script itself, atomically with the commit.
     */
    @Override
    public void append(PublishedEvent entry) {
        if (entry.type() != EventType.ROOM_CREATED) {
            return;
        }
        redis.send(Request.cmd(Command.XADD).arg(STREAM).arg("MAXLEN").arg("~").arg(1_000_000).arg("*")
                        .arg("room").arg(entry.roomId()).arg("epoch").arg(entry.epoch())
                        .arg("version").arg(entry.version()).arg("type").arg(entry.type().wireName()).arg("json").arg(entry.json()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).atMost(5)
                .subscribe().with(ignored -> {
                }, failure -> LOG.errorf("A record entry (%s v%d) could not reach the outbox stream: %s",
                        entry.type(), entry.version(), failure.getMessage()));
    }

    @Override
    public long backlog() {
        return backlog;
    }

    private Uni<Void> createGroup() {
        return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(STREAM).arg(GROUP).arg("0").arg("MKSTREAM"))
                .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithNull()
                .replaceWithVoid();
    }

    /** This node's pending entries first (a retry, or claimed from a dead node), then new ones. */
    private void consume() {
        if (!running) {
            return;
        }
        read("0", false)
                .flatMap(pending -> pending.isEmpty() ? read(">", true) : Uni.createFrom().item(pending))
                .call(this::writeAll)
                .subscribe().with(entries -> {
                    retryMillis = 200;
                    // Short of a full batch: let the next entries gather, to write them together.
                    long linger = config.batchLinger().toMillis();
                    if (entries.size() >= BATCH || linger <= 0) {
                        consume();
                    } else {
                        vertx.setTimer(linger, id -> consume());
                    }
                }, this::retryLater);
    }

    private void retryLater(Throwable failure) {
        if (!running) {
            return;
        }
        if (!status.degraded()) {
            LOG.warnf("The record is not reachable (%s); entries wait in %s", failure.getMessage(), STREAM);
        }
        status.failed(failure);
        long delay = retryMillis;
        retryMillis = Math.min(retryMillis * 2, Math.max(200, config.retryMax().toMillis()));
        vertx.setTimer(delay, id -> {
            // A retry due after the node stopped would send on a closed client (an error logged at shutdown).
            if (running) {
                createGroup().subscribe().with(ignored -> consume(), this::retryLater);
            }
        });
    }

    private Uni<List<Entry>> read(String from, boolean block) {
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(BATCH);
        if (block) {
            request.arg("BLOCK").arg(2000);
        }
        return redis.send(request.arg("STREAMS").arg(STREAM).arg(from)).map(RedisStreamRecordOutbox::entries);
    }

    /** The batch in one transaction, acknowledged at once; one entry at a time if PostgreSQL refuses it. */
    private Uni<Void> writeAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RecordSink.Entry> batch = entries.stream()
                .map(entry -> new RecordSink.Entry(entry.event(), entry.committedAt())).toList();
        Request ack = Request.cmd(Command.XACK).arg(STREAM).arg(GROUP);
        entries.forEach(entry -> ack.arg(entry.id()));
        return sink.writeAll(batch)
                .onFailure(sink::refusesForGood).recoverWithUni(failure -> oneByOne(entries)
                        .replaceWith((Void) null))
                .call(() -> redis.send(ack))
                .invoke(() -> {
                    entries.forEach(entry -> permanentFailures.remove(entry.id()));
                    status.succeeded();
                });
    }

    private Uni<Void> oneByOne(List<Entry> entries) {
        return Multi.createFrom().iterable(entries)
                .onItem().transformToUniAndConcatenate(this::writeOne)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> writeOne(Entry entry) {
        return sink.writeAll(List.of(new RecordSink.Entry(entry.event(), entry.committedAt())))
                .onFailure(sink::refusesForGood).recoverWithUni(failure -> skipIfHopeless(entry, failure))
                .call(() -> redis.send(Request.cmd(Command.XACK).arg(STREAM).arg(GROUP).arg(entry.id())))
                .invoke(() -> {
                    permanentFailures.remove(entry.id());
                    status.succeeded();
                })
                .replaceWithVoid();
    }

    private Uni<Void> skipIfHopeless(Entry entry, Throwable failure) {
        if (permanentFailures.merge(entry.id(), 1, Integer::sum) < PERMANENT_FAILURES_BEFORE_SKIP) {
            return Uni.createFrom().failure(failure);
        }
        LOG.errorf(failure, "The record refused %s v%d of a room; skipped", entry.event().type(),
                entry.event().version());
        status.gaveUp();
        return Uni.createFrom().voidItem();
    }

    /** Entries read by a node that died before acknowledging them become this node's. */
    private void claimAbandoned() {
        redis.send(Request.cmd(Command.XAUTOCLAIM).arg(STREAM).arg(GROUP).arg(consumer)
                        .arg(config.claimIdle().toMillis()).arg("0-0").arg("COUNT").arg(100))
                .subscribe().with(ignored -> {
                }, failure -> LOG.debugf("XAUTOCLAIM failed: %s", failure.getMessage()));
    }

    /** Pending (read, not acknowledged) plus lag (not read yet) of the group. */
    private void refreshBacklog() {
        redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(STREAM)).subscribe().with(groups -> {
            for (Response group : groups) {
                Map<String, Response> fields = fields(group);
                if (fields.containsKey("name") && GROUP.equals(fields.get("name").toString())) {
                    long pending = fields.get("pending") == null ? 0 : fields.get("pending").toLong();
                    Response lag = fields.get("lag");
                    backlog = pending + (lag == null ? 0 : lag.toLong());
                }
            }
        }, failure -> LOG.debugf("XINFO failed: %s", failure.getMessage()));
    }

    private static Map<String, Response> fields(Response flat) {
        Map<String, Response> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i).toString(), flat.get(i + 1));
        }
        return fields;
    }

    /** XREADGROUP in RESP2: [[stream, [[id, [field, value, ...]], ...]]], or null when nothing came. */
    private static List<Entry> entries(Response response) {
        List<Entry> entries = new ArrayList<>();
        if (response == null) {
            return entries;
        }
        for (Response stream : response) {
            for (Response message : stream.get(1)) {
                String id = message.get(0).toString();
                Response body = message.get(1);
                if (body == null) {
                    continue;
                }
                Map<String, Response> fields = fields(body);
                PublishedEvent event = new PublishedEvent(fields.get("room").toString(),
                        fields.get("epoch").toString(), fields.get("version").toLong(),
                        EventType.ofWireName(fields.get("type").toString()),
                        fields.get("json").toString());
                entries.add(new Entry(id, event, Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))))));
            }
        }
        return entries;
    }
}

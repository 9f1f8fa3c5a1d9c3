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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The cluster outbox: a Redis Stream read by a consumer group, one consumer per node. An entry is
 * acknowledged only after its transaction committed, and entries a crashed node read but never
 * acknowledged are claimed by another node, so a node crash loses nothing. Created only when
 * {@code REDIS_URL} is set (see {@link dev.readyroom.live.LiveMode}).
 *
 * <p>On one Redis there is one stream for all rooms, read with a blocking XREADGROUP. On a Redis
 * Cluster there is one stream per hash slot (a commit script touches only its room's slot), listed
 * in {@link RedisKeys#OUTBOX_STREAMS}: a node reads at once the streams its own commits wrote to,
 * and every {@link #SWEEP_MILLIS} all listed streams, for what other nodes left (they died, or
 * were slower).
 */
final class RedisStreamRecordOutbox implements RecordOutbox {
    private static final Logger LOG = Logger.getLogger(RedisStreamRecordOutbox.class);
    private static final String STREAM = RedisKeys.OUTBOX;
    private static final String GROUP = RedisKeys.OUTBOX_GROUP;
    private static final int BATCH = 50;
    private static final int PERMANENT_FAILURES_BEFORE_SKIP = 3;
    static final long SWEEP_MILLIS = 5000;

    private record Entry(String id, PublishedEvent event, Instant committedAt) {
    }

    private final RecordSink sink;
    private final RecordStatus status;
    private final RecordConfig config;
    private final Vertx vertx;
    private final String consumer = "node-" + Secrets.participantId();
    private final Map<String, Integer> permanentFailures = new ConcurrentHashMap<>();
    private final boolean sharded;
    /** Slot streams this node wrote to since it last read them. */
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    /** Slot streams that may not be listed yet: listed by this node before it reads them. */
    private final Set<String> toList = ConcurrentHashMap.newKeySet();
    private volatile List<String> listed = List.of();
    private volatile long lastSweepMillis;
    private Redis redis;
    private volatile boolean running;
    private volatile long backlog;
    private long retryMillis = 200;
    private long claimTimer;
    /** On a Redis Cluster the backlog is summed by the sweeps instead: no timer (-1). */
    private long backlogTimer = -1;

    RedisStreamRecordOutbox(RecordSink sink, RecordStatus status, RecordConfig config, Vertx vertx,
            boolean sharded) {
        this.sharded = sharded;
        this.sink = sink;
        this.status = status;
        this.config = config;
        this.vertx = vertx;
    }

    /** Joins the consumer group (the stream's, or each slot stream's) and starts consuming. */
    void start(Redis client) {
        redis = client;
        running = true;
        claimTimer = vertx.setPeriodic(config.claimInterval().toMillis(), id -> claimAbandoned());
        if (sharded) {
            consumeShards();
            LOG.infof("Record outbox: one Redis stream per hash slot (%s:{tag}), group %s, consumer %s", STREAM,
                    GROUP, consumer);
            return;
        }
        backlogTimer = vertx.setPeriodic(1000, id -> refreshBacklog());
        createGroup().subscribe().with(ignored -> consume(), failure -> retryLater(failure));
        LOG.infof("Record outbox: Redis stream %s, group %s, consumer %s", STREAM, GROUP, consumer);
    }

    /** A commit wrote an entry to a slot's stream: read it soon; list the stream first if it may not be. */
    void written(String stream, boolean unlisted) {
        if (unlisted) {
            toList.add(stream);
        }
        written.add(stream);
    }

    void stop() {
        running = false;
        if (redis != null) {
            vertx.cancelTimer(claimTimer);
            if (backlogTimer >= 0) {
                vertx.cancelTimer(backlogTimer);
            }
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
        String stream = sharded ? RedisKeys.slotOutbox(entry.roomId()) : STREAM;
        redis.send(Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(1_000_000).arg("*")
                        .arg("room").arg(entry.roomId()).arg("epoch").arg(entry.epoch())
                        .arg("version").arg(entry.version()).arg("type").arg(entry.type().wireName())
                        .arg("json").arg(entry.json()))
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).atMost(5)
                .subscribe().with(ignored -> {
                    if (sharded) {
                        // Listed already, as far as this node knows: spares a room's creation three commands.
                        written(stream, !listed.contains(stream));
                    }
                }, failure -> LOG.errorf("A record entry (%s v%d) could not reach the outbox stream: %s",
                        entry.type(), entry.version(), failure.getMessage()));
    }

    @Override
    public long backlog() {
        return backlog;
    }

    private Uni<Void> createGroup() {
        return createGroup(STREAM);
    }

    private Uni<Void> createGroup(String stream) {
        return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0").arg("MKSTREAM"))
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
        return read(STREAM, from, block);
    }

    private Uni<List<Entry>> read(String stream, String from, boolean block) {
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(BATCH);
        if (block) {
            request.arg("BLOCK").arg(2000);
        }
        return redis.send(request.arg("STREAMS").arg(stream).arg(from)).map(RedisStreamRecordOutbox::entries);
    }

    /** The batch in one transaction, acknowledged at once; one entry at a time if PostgreSQL refuses it. */
    private Uni<Void> writeAll(List<Entry> entries) {
        return writeAll(STREAM, entries);
    }

    private Uni<Void> writeAll(String stream, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RecordSink.Entry> batch = entries.stream()
                .map(entry -> new RecordSink.Entry(entry.event(), entry.committedAt())).toList();
        Request ack = Request.cmd(Command.XACK).arg(stream).arg(GROUP);
        entries.forEach(entry -> ack.arg(entry.id()));
        return sink.writeAll(batch)
                .onFailure(sink::refusesForGood).recoverWithUni(failure -> oneByOne(stream, entries)
                        .replaceWith((Void) null))
                .call(() -> redis.send(ack))
                .invoke(() -> {
                    entries.forEach(entry -> permanentFailures.remove(entry.id()));
                    status.succeeded();
                });
    }

    private Uni<Void> oneByOne(String stream, List<Entry> entries) {
        return Multi.createFrom().iterable(entries)
                .onItem().transformToUniAndConcatenate(entry -> writeOne(stream, entry))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> writeOne(String stream, Entry entry) {
        return sink.writeAll(List.of(new RecordSink.Entry(entry.event(), entry.committedAt())))
                .onFailure(sink::refusesForGood).recoverWithUni(failure -> skipIfHopeless(entry, failure))
                .call(() -> redis.send(Request.cmd(Command.XACK).arg(stream).arg(GROUP).arg(entry.id())))
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
        for (String stream : sharded ? listed : List.of(STREAM)) {
            redis.send(Request.cmd(Command.XAUTOCLAIM).arg(stream).arg(GROUP).arg(consumer)
                            .arg(config.claimIdle().toMillis()).arg("0-0").arg("COUNT").arg(100))
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.debugf("XAUTOCLAIM failed: %s", failure.getMessage()));
        }
    }

    /**
     * Redis Cluster: one pass over the slot streams to read, each its pending entries first, then
     * new ones; the next pass at once after a full batch, else after the batch linger.
     */
    private void consumeShards() {
        if (!running) {
            return;
        }
        boolean sweep = System.currentTimeMillis() - lastSweepMillis >= SWEEP_MILLIS;
        listPending()
                .flatMap(ignored -> sweep ? refreshListed() : Uni.createFrom().voidItem())
                .flatMap(ignored -> {
                    Set<String> streams = new LinkedHashSet<>();
                    for (String stream : List.copyOf(written)) {
                        written.remove(stream);
                        streams.add(stream);
                    }
                    if (sweep) {
                        streams.addAll(listed);
                    }
                    return Multi.createFrom().iterable(streams)
                            .onItem().transformToUniAndConcatenate(this::consumeShard)
                            .collect().asList();
                })
                .subscribe().with(counts -> {
                    if (sweep) {
                        lastSweepMillis = System.currentTimeMillis();
                    }
                    retryMillis = 200;
                    boolean full = counts.stream().anyMatch(count -> count >= BATCH);
                    long linger = Math.max(10, config.batchLinger().toMillis());
                    vertx.setTimer(full ? 1 : linger, id -> consumeShards());
                }, failure -> {
                    if (!running) {
                        return;
                    }
                    if (!status.degraded()) {
                        LOG.warnf("The record is not reachable (%s); entries wait in the slots' outbox streams",
                                failure.getMessage());
                    }
                    status.failed(failure);
                    long delay = retryMillis;
                    retryMillis = Math.min(retryMillis * 2, Math.max(200, config.retryMax().toMillis()));
                    vertx.setTimer(delay, id -> consumeShards());
                });
    }

    /** One batch of one slot stream: how many entries it held (a full batch: read it again soon). */
    private Uni<Integer> consumeShard(String stream) {
        // A group gone with its stream (Redis lost its data): made again, read from the next pass.
        return read(stream, "0", false)
                .onFailure(failure -> String.valueOf(failure.getMessage()).startsWith("NOGROUP"))
                .recoverWithUni(() -> createGroup(stream).replaceWith(List.<Entry>of()))
                .flatMap(pending -> pending.isEmpty() ? read(stream, ">", false) : Uni.createFrom().item(pending))
                .call(entries -> writeAll(stream, entries))
                .invoke(entries -> {
                    if (entries.size() >= BATCH) {
                        written.add(stream);
                    }
                })
                .map(List::size);
    }

    /**
     * Lists the slot streams a commit found unlisted: their consumer group first (from the start,
     * so no entry is skipped), then the list, then the marker that spares later commits the news.
     */
    private Uni<Void> listPending() {
        return Multi.createFrom().iterable(List.copyOf(toList))
                .onItem().transformToUniAndConcatenate(stream -> createGroup(stream)
                        .call(() -> redis.send(Request.cmd(Command.SADD).arg(RedisKeys.OUTBOX_STREAMS).arg(stream)))
                        .call(() -> redis.send(Request.cmd(Command.SET).arg(RedisKeys.listed(stream)).arg("1")))
                        .invoke(() -> {
                            toList.remove(stream);
                            if (!listed.contains(stream)) {
                                List<String> more = new ArrayList<>(listed);
                                more.add(stream);
                                listed = List.copyOf(more);
                            }
                        }))
                .collect().last().replaceWithVoid();
    }

    /** The listed slot streams, and the backlog summed over them. */
    private Uni<Void> refreshListed() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.OUTBOX_STREAMS))
                .map(members -> {
                    List<String> streams = new ArrayList<>();
                    if (members != null) {
                        members.forEach(member -> streams.add(member.toString()));
                    }
                    listed = List.copyOf(streams);
                    return streams;
                })
                .flatMap(streams -> Multi.createFrom().iterable(streams)
                        .onItem().transformToUniAndConcatenate(stream -> backlogOf(stream)
                                .onFailure().recoverWithItem(0L))
                        .collect().with(Collectors.summingLong(Long::longValue)))
                .invoke(total -> backlog = total)
                .replaceWithVoid();
    }

    /** Pending (read, not acknowledged) plus lag (not read yet) of the group. */
    private void refreshBacklog() {
        backlogOf(STREAM).subscribe().with(total -> backlog = total,
                failure -> LOG.debugf("XINFO failed: %s", failure.getMessage()));
    }

    private Uni<Long> backlogOf(String stream) {
        return redis.send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream)).map(groups -> {
            for (Response group : groups) {
                Map<String, Response> fields = fields(group);
                if (fields.containsKey("name") && GROUP.equals(fields.get("name").toString())) {
                    long pending = fields.get("pending") == null ? 0 : fields.get("pending").toLong();
                    Response lag = fields.get("lag");
                    return pending + (lag == null ? 0 : lag.toLong());
                }
            }
            return 0L;
        });
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

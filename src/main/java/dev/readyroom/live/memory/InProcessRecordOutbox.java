package dev.readyroom.live.memory;

import dev.readyroom.config.RecordConfig;
import dev.readyroom.live.Polling;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RecordStatus;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The standalone outbox: a queue in this JVM drained in order by one writer. While PostgreSQL is
 * down the queue grows and the head is retried with backoff; nothing is dropped but entries
 * PostgreSQL rejects as bad data three times. A crash loses what was not written yet; a clean
 * shutdown waits for the queue to drain.
 */
final class InProcessRecordOutbox implements RecordOutbox {
    private static final Logger LOG = Logger.getLogger(InProcessRecordOutbox.class);
    private static final long FIRST_RETRY_MILLIS = 200;
    private static final int PERMANENT_FAILURES_BEFORE_SKIP = 3;
    /** Entries written in one transaction at most; a failed batch is retried one entry at a time. */
    private static final int MAX_BATCH = 64;

    private final ConcurrentLinkedQueue<RecordSink.Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong size = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final RecordSink sink;
    private final RecordStatus status;
    private final RecordConfig config;
    private final Vertx vertx;
    /**
     * Where the outbox's timers live: a context of its own, in no verticle deployment. A timer set
     * from a WebSocket's context belongs to the HTTP server's deployment, and Vert.x cancels it
     * when that deployment is undeployed at a stop: a linger timer lost that way left acknowledged
     * entries unwritten until the drain timed out.
     */
    private final ContextInternal timers;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int permanentFailures;
    private int batchLimit = MAX_BATCH;
    private volatile boolean stopping;
    private volatile long lingerTimer = -1;

    InProcessRecordOutbox(RecordSink sink, RecordStatus status, RecordConfig config, Vertx vertx) {
        this.sink = sink;
        this.status = status;
        this.config = config;
        this.vertx = vertx;
        this.timers = ((VertxInternal) vertx).createEventLoopContext();
    }

    @Override
    public void append(PublishedEvent entry) {
        if (!RecordOutbox.records(entry.type())) {
            return;
        }
        queue.add(new RecordSink.Entry(entry, Instant.now()));
        size.incrementAndGet();
        drain();
    }

    @Override
    public long backlog() {
        return size.get();
    }

    private void drain() {
        if (draining.compareAndSet(false, true)) {
            writeSoon();
        }
    }

    /**
     * Writes after the linger, so that the entries of the next moments go in the same transaction
     * (a transaction per entry cost more CPU than the live round); at once when a batch is full or
     * the service is stopping.
     */
    private void writeSoon() {
        long linger = config.batchLinger().toMillis();
        if (stopping || linger <= 0 || size.get() >= MAX_BATCH) {
            writeHead();
        } else {
            lingerTimer = timers.setTimer(linger, id -> {
                lingerTimer = -1;
                writeHead();
            });
        }
    }

    private void writeHead() {
        List<RecordSink.Entry> batch = new ArrayList<>();
        for (RecordSink.Entry entry : queue) {
            if (batch.size() == batchLimit) {
                break;
            }
            batch.add(entry);
        }
        if (batch.isEmpty()) {
            draining.set(false);
            // An entry appended between the look and the set would otherwise wait for the next append.
            if (!queue.isEmpty()) {
                drain();
            }
            return;
        }
        sink.writeAll(batch)
                .subscribe().with(ignored -> written(batch.size()), failure -> failed(batch.get(0), batch.size(), failure));
    }

    private void written(int count) {
        for (int i = 0; i < count; i++) {
            queue.poll();
        }
        size.addAndGet(-count);
        status.succeeded();
        retryMillis = FIRST_RETRY_MILLIS;
        permanentFailures = 0;
        batchLimit = MAX_BATCH;
        writeSoon();
    }

    private void failed(RecordSink.Entry head, int count, Throwable failure) {
        if (count > 1 && sink.refusesForGood(failure)) {
            // One of them is refused: find which, one entry at a time.
            batchLimit = 1;
            writeHead();
            return;
        }
        batchLimit = 1;
        if (sink.refusesForGood(failure) && ++permanentFailures >= PERMANENT_FAILURES_BEFORE_SKIP) {
            LOG.errorf(failure, "The record refused %s v%d of a room; skipped", head.event().type(),
                    head.event().version());
            queue.poll();
            size.decrementAndGet();
            status.gaveUp();
            permanentFailures = 0;
            writeHead();
            return;
        }
        if (!status.degraded()) {
            LOG.warnf("The record is not reachable (%s); %d entries wait", failure.getMessage(), size.get());
        }
        status.failed(failure);
        long delay = retryMillis;
        retryMillis = Math.min(retryMillis * 2, Math.max(FIRST_RETRY_MILLIS, config.retryMax().toMillis()));
        timers.setTimer(delay, id -> writeHead());
    }

    /**
     * A batch waiting on its linger is written now, and the queue is given {@code drain-on-shutdown}
     * to drain (a bound: PostgreSQL may be the thing that is down).
     */
    @Override
    public void flushBeforeStop() {
        stopping = true;
        long timer = lingerTimer;
        if (timer >= 0 && vertx.cancelTimer(timer)) {
            lingerTimer = -1;
            writeHead();
        }
        awaitDrained();
    }

    private void awaitDrained() {
        try {
            Polling.until(() -> size.get() == 0, config.drainOnShutdown(), 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (size.get() > 0) {
            LOG.warnf("Stopping with %d record entries not written", size.get());
        }
    }
}

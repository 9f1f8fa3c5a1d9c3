package dev.readyroom;

import dev.readyroom.live.Polling;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomService;
import dev.readyroom.realtime.Presence;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * How a node stops (SIGTERM, or the end of a test). In order: refuse new changes and connections;
 * close every connection as going away and show its participant away; wait for changes still under
 * way; then write the record outbox. Once that returns, no acknowledged change is only in this JVM.
 *
 * <p>It runs on {@link ShutdownDelayInitiatedEvent} ({@code quarkus.shutdown.delay-enabled}), which
 * Quarkus fires and waits for before it stops anything. {@link ShutdownEvent} comes too late: Quarkus
 * closes the HTTP server, and every WebSocket with it, before it fires that (the server's shutdown
 * task is registered after the one that fires it). That event only backs this one up.
 */
@ApplicationScoped
public class OrderlyStop {
    private static final Logger LOG = Logger.getLogger(OrderlyStop.class);
    /** Bounds the close handshakes and presence updates: a client that does not answer is not waited for. */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);

    private final RoomService rooms;
    private final Presence presence;
    private final RecordOutbox outbox;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public OrderlyStop(RoomService rooms, Presence presence, RecordOutbox outbox) {
        this.rooms = rooms;
        this.presence = presence;
        this.outbox = outbox;
    }

    void beforeStop(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stop();
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        rooms.stopTakingChanges();
        int closed = 0;
        try {
            closed = presence.leaveBeforeStop(LEAVE_TIMEOUT);
            Polling.until(() -> !rooms.changesUnderWay(), LEAVE_TIMEOUT, 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.flushBeforeStop();
        LOG.infof("Connections closed (%d) and record written in %d ms; stopping", closed,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}

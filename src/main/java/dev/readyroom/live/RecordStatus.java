package dev.readyroom.live;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Whether the record keeps up: the last write that failed, if no write succeeded since. */
@ApplicationScoped
public class RecordStatus {
    private final AtomicReference<String> failing = new AtomicReference<>();
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public void succeeded() {
        written.incrementAndGet();
        failing.set(null);
        failingSince.set(null);
    }

    public void failed(Throwable failure) {
        failing.set(failure.getClass().getSimpleName());
        failingSince.compareAndSet(null, Instant.now());
    }

    public void gaveUp() {
        skipped.incrementAndGet();
    }

    public boolean degraded() {
        return failing.get() != null;
    }

    public String lastError() {
        return failing.get();
    }

    public Instant failingSince() {
        return failingSince.get();
    }

    public long written() {
        return written.get();
    }

    public long skipped() {
        return skipped.get();
    }
}

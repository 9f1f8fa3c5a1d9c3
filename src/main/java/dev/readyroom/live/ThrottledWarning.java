package dev.readyroom.live;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * At most one warning a period, carrying how many were left out since the one before: when the
 * live store fails or falls behind, every command fails alike, and a line per command buried the
 * log (7,086 lines on one node of an overloaded cluster). The metrics count every failure.
 */
final class ThrottledWarning {
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> sink;
    private boolean warnedBefore;
    private long quietUntil;
    private long leftOut;

    ThrottledWarning(Duration period, LongSupplier nanoTime, Consumer<String> sink) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
        this.sink = sink;
    }

    synchronized void warn(String message) {
        long now = nanoTime.getAsLong();
        if (warnedBefore && now - quietUntil < 0) {
            leftOut++;
            return;
        }
        String line = leftOut == 0 ? message : message + " (" + leftOut + " more not logged since the last)";
        warnedBefore = true;
        quietUntil = now + periodNanos;
        leftOut = 0;
        sink.accept(line);
    }
}

package dev.readyroom.live;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on the calling thread for a condition, up to a bound: the stop's waits, never an event loop's. */
public final class Polling {
    private Polling() {
    }

    /** True once {@code condition} holds, false if {@code timeout} passed first; looks every {@code everyMillis}. */
    public static boolean until(BooleanSupplier condition, Duration timeout, long everyMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(everyMillis);
        }
        return true;
    }
}

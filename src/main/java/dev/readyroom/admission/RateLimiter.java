package dev.readyroom.realtime;

/** A token bucket: a burst of {@code capacity} messages, refilled at {@code capacity} per second. */
final class RateLimiter {
    private final double capacity;
    private double tokens;
    private long lastRefillNanos;

    RateLimiter(int perSecond, long nowNanos) {
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.lastRefillNanos = nowNanos;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        double elapsedSeconds = (nowNanos - lastRefillNanos) / 1_000_000_000.0;
        lastRefillNanos = nowNanos;
        tokens = Math.min(capacity, tokens + elapsedSeconds * capacity);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

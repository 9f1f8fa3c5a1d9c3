package dev.readyroom.admission;

/** A token bucket: a burst of {@code burst} tokens, refilled at {@code perSecond}. */
public final class RateLimiter {
    private final double capacity;
    private final double perSecond;
    private double tokens;
    private long lastRefillNanos;

    /** A burst of {@code perSecond}, refilled at {@code perSecond}. */
    public RateLimiter(int perSecond, long nowNanos) {
        this(perSecond, perSecond, nowNanos);
    }

    public RateLimiter(int burst, double perSecond, long nowNanos) {
        this.capacity = burst;
        this.perSecond = perSecond;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    public synchronized boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whole seconds until the next token, at least 1: what a refusal's Retry-After says. */
    public synchronized long secondsUntilNext(long nowNanos) {
        refill(nowNanos);
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    /** True when the bucket is full again: nothing is left to remember about its user. */
    public synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        double elapsedSeconds = (nowNanos - lastRefillNanos) / 1_000_000_000.0;
        lastRefillNanos = nowNanos;
        tokens = Math.min(capacity, tokens + elapsedSeconds * perSecond);
    }
}

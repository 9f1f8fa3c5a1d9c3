package dev.readyroom.domain;

/** A discussion timer, in server-clock epoch milliseconds: it has ended once the clock reaches {@code endsAt}. */
public record Timebox(long startedAt, long endsAt, int minutes) {
    public static final int MIN_MINUTES = 1;
    public static final int MAX_MINUTES = 15;

    public boolean runningAt(long nowMillis) {
        return nowMillis < endsAt;
    }
}

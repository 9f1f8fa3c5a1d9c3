package dev.readyroom.bench;

import org.HdrHistogram.Histogram;

/**
 * What one generator event loop measured. Touched only from its own loop, so nothing is
 * synchronized; {@link #addTo} merges loops after the run.
 */
final class Recorder {
    private static final long MAX_MICROS = 120_000_000;
    /** The generator's clocks at one moment, to name the wall-clock second of a nanoTime. */
    static final long ORIGIN_NANOS = System.nanoTime();
    static final long ORIGIN_MILLIS = System.currentTimeMillis();
    /** Seconds of a generator's life whose slowest delivery is kept: longer than any run. */
    static final int SECONDS = 3_600;

    final Histogram voteEveryone = histogram();
    final Histogram voteDelivery = histogram();
    final Histogram revealEveryone = histogram();
    final Histogram revealDelivery = histogram();
    final Histogram selectEveryone = histogram();
    final Histogram sendLag = histogram();
    /** Per second since {@link #ORIGIN_NANOS} (of the intended send): the slowest to-everyone latency, in µs. */
    final long[] slowestBySecond = new long[SECONDS];
    long voteExpected;
    long voteReceived;
    long revealExpected;
    long revealReceived;
    long selectExpected;
    long selectReceived;
    long acks;
    long errors;
    long otherEvents;
    long connectFailures;
    long sendsOnClosed;
    long lateVotes;
    /** Commands of the history prelude answered {@code unavailable} and sent again with the same opId. */
    long preludeRetries;

    static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
    }

    /** Notes a measured to-everyone latency under the second its event was meant to be sent in. */
    void noteEveryone(long intendedNanos, long latencyNanos) {
        long second = (intendedNanos - ORIGIN_NANOS) / 1_000_000_000L;
        if (second >= 0 && second < SECONDS) {
            slowestBySecond[(int) second] = Math.max(slowestBySecond[(int) second], latencyNanos / 1_000);
        }
    }

    void addTo(Recorder total) {
        for (int second = 0; second < SECONDS; second++) {
            total.slowestBySecond[second] = Math.max(total.slowestBySecond[second], slowestBySecond[second]);
        }
        total.voteEveryone.add(voteEveryone);
        total.voteDelivery.add(voteDelivery);
        total.revealEveryone.add(revealEveryone);
        total.revealDelivery.add(revealDelivery);
        total.selectEveryone.add(selectEveryone);
        total.sendLag.add(sendLag);
        total.voteExpected += voteExpected;
        total.voteReceived += voteReceived;
        total.revealExpected += revealExpected;
        total.revealReceived += revealReceived;
        total.selectExpected += selectExpected;
        total.selectReceived += selectReceived;
        total.acks += acks;
        total.errors += errors;
        total.otherEvents += otherEvents;
        total.connectFailures += connectFailures;
        total.sendsOnClosed += sendsOnClosed;
        total.lateVotes += lateVotes;
        total.preludeRetries += preludeRetries;
    }

    long expected() {
        return voteExpected + revealExpected + selectExpected;
    }

    long received() {
        return voteReceived + revealReceived + selectReceived;
    }
}

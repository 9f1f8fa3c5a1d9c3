package dev.readyroom.bench;

import org.HdrHistogram.Histogram;

/**
 * What one generator event loop measured. Touched only from its own loop, so nothing is
 * synchronized; {@link #addTo} merges loops after the run.
 */
final class Recorder {
    private static final long MAX_MICROS = 120_000_000;

    final Histogram voteEveryone = histogram();
    final Histogram voteDelivery = histogram();
    final Histogram revealEveryone = histogram();
    final Histogram revealDelivery = histogram();
    final Histogram selectEveryone = histogram();
    final Histogram sendLag = histogram();
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

    static Histogram histogram() {
        return new Histogram(MAX_MICROS, 3);
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
    }

    void addTo(Recorder total) {
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
    }

    long expected() {
        return voteExpected + revealExpected + selectExpected;
    }

    long received() {
        return voteReceived + revealReceived + selectReceived;
    }
}

package dev.readyroom.bench;

import java.util.ArrayDeque;

/** Bounds the connections one event loop opens at once, so a large scenario is not a SYN flood. */
final class ConnectGate {
    private final int maxInFlight;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    ConnectGate(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    void submit(Runnable connect) {
        if (inFlight < maxInFlight) {
            inFlight++;
            connect.run();
        } else {
            waiting.add(connect);
        }
    }

    void done() {
        Runnable next = waiting.poll();
        if (next == null) {
            inFlight--;
        } else {
            next.run();
        }
    }
}

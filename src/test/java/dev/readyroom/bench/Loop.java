package dev.readyroom.bench;

import io.vertx.core.Context;
import io.vertx.core.http.WebSocketClient;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** One generator event loop: its context, what it measured, and the sockets it may open. */
final class Loop {
    final Context context;
    final Recorder recorder = new Recorder();
    final ConnectGate gate;
    final LongAdder deliveries;
    final LongAdder tracked;
    private final List<WebSocketClient> clients;
    private int nextClient;

    Loop(Context context, List<WebSocketClient> clients, int maxConnecting, LongAdder deliveries, LongAdder tracked) {
        this.context = context;
        this.clients = clients;
        this.gate = new ConnectGate(maxConnecting);
        this.deliveries = deliveries;
        this.tracked = tracked;
    }

    /** The clients are bound to different 127.0.0.x source addresses: spread sockets over them. */
    WebSocketClient client() {
        nextClient = (nextClient + 1) % clients.size();
        return clients.get(nextClient);
    }
}

package dev.readyroom.bench;

import io.vertx.core.http.HttpClient;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /api/rooms} as fast as the attacker can from one address: before the fixes 100,000
 * rooms in 33 s filled the node's room cap, and everyone got 503 for 24 h. After the burst, an
 * honest client from another address creates a room.
 */
final class RoomBurstAttack implements Attack {
    private static final int IN_FLIGHT = 32;
    private static final int PER_SECOND = 1_000;

    @Override
    public String name() {
        return "room-burst";
    }

    @Override
    public String before() {
        return "POST /api/rooms in a burst: 100,000 rooms in 33 s, then 503 for 24 h";
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        long timer = attacker.vertx.setPeriodic(10, id -> {
            long allowed = (System.nanoTime() - started) * PER_SECOND / 1_000_000_000L;
            while (System.nanoTime() < untilNanos && inFlight.get() < IN_FLIGHT && attempts.get() < allowed) {
                int n = attempts.incrementAndGet();
                inFlight.incrementAndGet();
                attacker.post("/api/rooms", "application/json", "{\"name\":\"Spam " + n + "\",\"deck\":\"fibonacci\"}")
                        .onComplete(answer -> {
                            inFlight.decrementAndGet();
                            attacker.count(answer.succeeded() ? "rest:" + answer.result().status() : "rest:failed");
                        });
            }
        });
        Thread.sleep(Math.max(0, (untilNanos - System.nanoTime()) / 1_000_000));
        attacker.vertx.cancelTimer(timer);
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(1_000);
        HttpClient bystander = Attacker.http(attacker.vertx, Attacker.BYSTANDER_ADDRESS);
        int honest = Attacker.await(attacker.post(bystander, "/api/rooms", "application/json",
                "{\"name\":\"After the burst\",\"deck\":\"fibonacci\"}")).status();
        String summary = String.format(Locale.ROOT, "%d room creations tried (%.0f/s): %s; a room created from "
                + "another address right after: %d", attempts.get(), attempts.get() / seconds,
                attacker.tallyOf("rest:"), honest);
        return new Outcome(summary, List.of(summary, "POST /api/rooms from one address, at most 32 at once and "
                + "1,000 a second, over keep-alive connections"));
    }
}

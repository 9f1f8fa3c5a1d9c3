package dev.readyroom.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Room sockets opened as fast as the attacker can, none of which ever sends {@code join}: before the
 * fixes they held a file descriptor each until the process ran out. At most {@link #IN_FLIGHT}
 * upgrades at once and {@link #PER_SECOND} a second from one address.
 */
final class SilentSocketsAttack implements Attack {
    private static final int IN_FLIGHT = 64;
    /** Under the ephemeral ports one source address has for one server port over the attack. */
    private static final int PER_SECOND = 500;

    private Attacker.Room room;

    @Override
    public String name() {
        return "silent-sockets";
    }

    @Override
    public String before() {
        return "WebSockets that never send join: 19,813 sockets hit the file descriptor limit in 25 s";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = attacker.createRoom("Silent");
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        long started = System.nanoTime();
        long timer = attacker.vertx.setPeriodic(10, id -> {
            long allowed = (System.nanoTime() - started) * PER_SECOND / 1_000_000_000L;
            while (System.nanoTime() < untilNanos && inFlight.get() < IN_FLIGHT && attempts.get() < allowed) {
                attempts.incrementAndGet();
                inFlight.incrementAndGet();
                attacker.connect(room.id()).onComplete(result -> {
                    inFlight.decrementAndGet();
                    if (result.succeeded()) {
                        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        result.result().closeHandler(v -> {
                            open.decrementAndGet();
                            attacker.count("close:" + result.result().closeStatusCode());
                        });
                    }
                });
            }
        });
        Thread.sleep(Math.max(0, (untilNanos - System.nanoTime()) / 1_000_000));
        attacker.vertx.cancelTimer(timer);
        double seconds = (System.nanoTime() - started) / 1e9;
        String summary = String.format(Locale.ROOT, "%d upgrades tried (%.0f/s): %s; at most %d open at once (%d "
                        + "open at the end); closed by the server: %s", attempts.get(), attempts.get() / seconds,
                attacker.tallyOf("upgrade:"), mostOpen.get(), open.get(), attacker.tallyOf("close:"));
        return new Outcome(summary, List.of(summary, "upgrades to one room from one address, at most 64 at once "
                + "and 500 a second; an accepted socket never sends anything"));
    }
}

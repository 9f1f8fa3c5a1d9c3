package dev.readyroom.bench;

import io.vertx.core.http.UpgradeRejectedException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One participant resuming with its token on many connections at once, each sending votes at the
 * connection's own limit: before the fixes the rate was per connection, and 644 connections had
 * 2,445 commands a second accepted. Here {@link #SLOTS} connections, each reconnecting (with the
 * token) as soon as it is closed.
 */
final class TokenReconnectsAttack implements Attack {
    private static final int SLOTS = 50;
    private static final long VOTE_EVERY_MILLIS = 50;
    /** The burst a connection may send at once. */
    private static final int BURST = 20;

    private RoomOfVoters room;
    private String token;

    @Override
    public String name() {
        return "token-reconnects";
    }

    @Override
    public String before() {
        return "one participant reconnecting with its token: 2,445 accepted commands/s over 644 connections";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = RoomOfVoters.join(attacker, "One voter, many sockets", 1, false);
        room.open();
        token = room.facilitator.token;
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger votes = new AtomicInteger();
        long started = System.nanoTime();
        attacker.vertx.runOnContext(v -> {
            for (int slot = 0; slot < SLOTS; slot++) {
                connect(attacker, slot, untilNanos, connections, votes);
            }
        });
        Thread.sleep(Math.max(0, (untilNanos - System.nanoTime()) / 1_000_000));
        double seconds = (System.nanoTime() - started) / 1e9;
        TimeUnit.SECONDS.sleep(1);
        String summary = String.format(Locale.ROOT, "%d connections resumed the one participant; %d votes sent, %d "
                        + "acked (%.1f/s); refused %s; closes %s; upgrades %s", connections.get(), votes.get(),
                attacker.counted("ack"), attacker.counted("ack") / seconds, attacker.tallyOf("error:"),
                attacker.tallyOf("close:"), attacker.tallyOf("upgrade:"));
        return new Outcome(summary, List.of(summary, String.format(Locale.ROOT, "%d connection slots from one "
                + "address, each resuming the facilitator (who votes) with its token, sending 20 votes at once on the "
                + "open round, then one every %d ms; a slot closed or refused connects again after 100 ms (1 s "
                + "after a 429)", SLOTS, VOTE_EVERY_MILLIS)));
    }

    /** On the attacker's loop: one slot's connection, which votes until closed, then connects again. */
    private void connect(Attacker attacker, int slot, long untilNanos, AtomicInteger connections,
            AtomicInteger votes) {
        if (System.nanoTime() >= untilNanos) {
            return;
        }
        Attacker.Member member = new Attacker.Member("slot " + slot);
        attacker.join(member, room.room.id(), "{\"type\":\"join\",\"name\":\"Facilitator\",\"role\":\"voter\","
                + "\"resume\":{\"token\":\"" + token + "\"}}").onComplete(joined -> {
                    if (joined.failed()) {
                        boolean refused = joined.cause() instanceof UpgradeRejectedException rejected
                                && rejected.getStatus() == 429;
                        attacker.vertx.setTimer(refused ? 1_000 : 100,
                                id -> connect(attacker, slot, untilNanos, connections, votes));
                        return;
                    }
                    int connection = connections.incrementAndGet();
                    AtomicInteger n = new AtomicInteger();
                    Runnable vote = () -> {
                        if (!member.closed && System.nanoTime() < untilNanos) {
                            int k = n.getAndIncrement();
                            member.send("{\"type\":\"vote\",\"opId\":\"t" + connection + "-" + k + "\",\"value\":\""
                                    + (k % 2 == 0 ? "3" : "5") + "\"}");
                            votes.incrementAndGet();
                        }
                    };
                    // A fresh connection's whole burst at once, as if a reconnect brought a fresh allowance.
                    for (int k = 0; k < BURST; k++) {
                        vote.run();
                    }
                    long timer = attacker.vertx.setPeriodic(VOTE_EVERY_MILLIS, id -> vote.run());
                    member.socket.closeHandler(v -> {
                        attacker.count("close:" + member.socket.closeStatusCode());
                        member.closed = true;
                        attacker.vertx.cancelTimer(timer);
                        attacker.vertx.setTimer(100, id -> connect(attacker, slot, untilNanos, connections, votes));
                    });
                });
    }
}

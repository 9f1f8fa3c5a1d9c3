package dev.readyroom.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An item with 50 revealed rounds of 100 votes, then one-word {@code item.update}s as fast as the
 * facilitator may send them, while 30 of the room's members stop reading. Before the fixes every
 * item event carried the item's whole history (about 900 KB), queued for each member not reading.
 */
final class HistoryUpdateAttack implements Attack {
    private static final int VOTERS = 100;
    private static final int ROUNDS = 50;
    private static final int NOT_READING = 30;
    /** 5 a second, what a participant may keep up after its burst. */
    private static final long UPDATE_EVERY_MILLIS = 200;

    private RoomOfVoters room;

    @Override
    public String name() {
        return "history-update";
    }

    @Override
    public String before() {
        return "an item with 50 rounds of 100 votes, then one-word item.update with 30 members not reading: event "
                + "about 900 KB, 1.2 to 12.4 GB RSS in 20 s, another room's p99 2.8 s";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = RoomOfVoters.join(attacker, "Long history", VOTERS, true);
        long started = System.nanoTime();
        room.play(ROUNDS);
        System.out.printf(Locale.ROOT, "  %-20s %d revealed rounds of %d votes in %.1f s%n", "attack prepared:",
                ROUNDS, VOTERS, (System.nanoTime() - started) / 1e9);
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        AtomicLong largestEvent = new AtomicLong();
        AtomicLong events = new AtomicLong();
        Attacker.Member reader = room.voters.get(room.voters.size() - 1);
        reader.onText = text -> {
            if (Wire.type(text).equals("item.updated")) {
                events.incrementAndGet();
                largestEvent.accumulateAndGet(text.length(), Math::max);
            }
        };
        List<Attacker.Member> notReading = room.voters.subList(1, 1 + NOT_READING);
        attacker.vertx.runOnContext(v -> notReading.forEach(member -> member.socket.pause()));
        long sent = 0;
        long started = System.nanoTime();
        while (System.nanoTime() < untilNanos) {
            String opId = "u" + sent;
            room.facilitator.send("{\"type\":\"item.update\",\"opId\":\"" + opId + "\",\"itemId\":\"" + room.itemId
                    + "\",\"description\":\"" + (sent % 2 == 0 ? "one" : "two") + "\"}");
            sent++;
            Thread.sleep(UPDATE_EVERY_MILLIS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long stillOpen = notReading.stream().filter(member -> !member.closed).count();
        attacker.vertx.runOnContext(v -> notReading.forEach(member -> member.socket.resume()));
        TimeUnit.SECONDS.sleep(3);
        long openAfterReading = notReading.stream().filter(member -> !member.closed).count();
        String summary = String.format(Locale.ROOT, "%d item.update sent, %d acked (%.1f/s), refused %s; item.updated "
                        + "event at most %d bytes (%d seen by a reading member); of the %d members not reading, %d "
                        + "were closed once they read again", sent, attacker.counted("ack"),
                attacker.counted("ack") / seconds, attacker.tallyOf("error:"), largestEvent.get(), events.get(),
                NOT_READING, NOT_READING - openAfterReading);
        return new Outcome(summary, List.of(summary, String.format(Locale.ROOT, "the room: %d voters (the facilitator "
                        + "votes too), %d revealed rounds on the item, receive buffers of 4 KiB; the members not "
                        + "reading are paused (TCP back-pressure); %d of them still looked open before reading again; "
                        + "closes seen: %s", VOTERS, ROUNDS, stillOpen, attacker.tallyOf("close:"))));
    }
}

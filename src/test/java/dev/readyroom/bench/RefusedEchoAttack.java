package dev.readyroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Votes the server must refuse, each with a value of about 4 KB and an opId of its own, so that
 * every refusal is kept for retries: before the fixes a room kept 10,000 replies, each echoing the
 * whole value. 5 rooms of 40 voters send 20 a second each (the participant limit when the attack was
 * filed; now four times the sustained limit, so most are refused before they are read).
 */
final class RefusedEchoAttack implements Attack {
    private static final int ROOMS = 5;
    private static final int VOTERS_PER_ROOM = 40;
    private static final String VALUE = "x".repeat(3_990);

    private final List<Attacker.Member> voters = new ArrayList<>();
    private final List<String> roomOf = new ArrayList<>();

    @Override
    public String name() {
        return "refused-echo";
    }

    @Override
    public String before() {
        return "events and replies kept by count only: refused votes echoing a 4 KB value, 5 rooms x 10k replies = "
                + "+212 MB";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        List<CompletableFuture<String>> joined = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            Attacker.Room room = attacker.createRoom("Echo " + r);
            for (int i = 0; i < VOTERS_PER_ROOM; i++) {
                Attacker.Member voter = new Attacker.Member("Echo " + r + "-" + i);
                voters.add(voter);
                roomOf.add(room.id());
                joined.add(attacker.joinRetrying(voter, room.id(), Wire.join(voter.name, "voter", null), false, 30)
                        .toCompletionStage().toCompletableFuture());
            }
        }
        CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        AtomicLong largestReply = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        for (Attacker.Member voter : voters) {
            voter.onText = text -> {
                if (Wire.type(text).equals("error")) {
                    largestReply.accumulateAndGet(text.length(), Math::max);
                }
            };
        }
        long started = System.nanoTime();
        int second = 0;
        while (System.nanoTime() < untilNanos) {
            int s = second++;
            attacker.vertx.runOnContext(v -> {
                for (int i = 0; i < voters.size(); i++) {
                    Attacker.Member voter = voters.get(i);
                    if (voter.closed) {
                        rejoin(attacker, voter, roomOf.get(i));
                        continue;
                    }
                    for (int k = 0; k < 20; k++) {
                        voter.send("{\"type\":\"vote\",\"opId\":\"e" + s + "-" + k + "\",\"value\":\"" + VALUE + "\"}");
                        sent.incrementAndGet();
                    }
                }
            });
            long next = started + second * 1_000_000_000L;
            Thread.sleep(Math.max(0, (Math.min(next, untilNanos) - System.nanoTime()) / 1_000_000));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        TimeUnit.SECONDS.sleep(1);
        long refused = attacker.tally.entrySet().stream().filter(e -> e.getKey().startsWith("error:"))
                .mapToLong(e -> e.getValue().sum()).sum();
        String summary = String.format(Locale.ROOT, "%d votes of 4 KB sent (%.0f/s), %d refused (%s), %d acked; a "
                        + "refusal at most %d bytes; closes %s", sent.get(), sent.get() / seconds, refused,
                attacker.tallyOf("error:"), attacker.counted("ack"), largestReply.get(), attacker.tallyOf("close:"));
        return new Outcome(summary, List.of(summary, String.format(Locale.ROOT, "%d rooms x %d voters from one "
                + "address, "
                + "20 votes a second each with a 3,990-character value and an opId of its own; a closed voter "
                + "resumes with its token; upgrades %s", ROOMS, VOTERS_PER_ROOM, attacker.tallyOf("upgrade:"))));
    }

    private void rejoin(Attacker attacker, Attacker.Member voter, String roomId) {
        if (voter.token == null || voter.participantId == null) {
            return;
        }
        String token = voter.token;
        voter.token = null;
        attacker.join(voter, roomId, "{\"type\":\"join\",\"name\":\"" + voter.name + "\",\"role\":\"voter\","
                + "\"resume\":{\"token\":\"" + token + "\"}}").onFailure(e -> voter.token = token);
    }
}

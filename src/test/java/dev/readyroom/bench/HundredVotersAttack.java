package dev.readyroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A room of 100 voters who all vote at the same instant, round after round: before the fixes a
 * standalone node answered 1 or 2 votes a round {@code unavailable}. Each round's reveal must hold
 * exactly the votes that were acknowledged.
 */
final class HundredVotersAttack implements Attack {
    private static final int VOTERS = 100;
    private static final long ROUND_MILLIS = 2_000;

    private RoomOfVoters room;

    @Override
    public String name() {
        return "hundred-voters";
    }

    @Override
    public String before() {
        return "100 voters voting at once, standalone: 1-2 votes per round unavailable";
    }

    @Override
    public void prepare(Attacker attacker) throws Exception {
        room = RoomOfVoters.join(attacker, "Hundred voters", VOTERS, false);
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        List<Integer> unavailableByRound = new ArrayList<>();
        int rounds = 0;
        long acked = 0;
        long refused = 0;
        int mismatched = 0;
        List<Long> answerMillis = new ArrayList<>();
        while (System.nanoTime() + ROUND_MILLIS * 1_000_000 < untilNanos) {
            long started = System.nanoTime();
            CompletableFuture<String> revealed = new CompletableFuture<>();
            room.facilitator.onText = text -> {
                if (Wire.type(text).equals("round.revealed")) {
                    revealed.complete(text);
                }
            };
            room.open();
            long votesSent = System.nanoTime();
            List<String> answers = room.voteAll();
            answerMillis.add((System.nanoTime() - votesSent) / 1_000_000);
            int roundAcks = 0;
            int unavailable = 0;
            for (String answer : answers) {
                if (Wire.type(answer).equals("ack")) {
                    roundAcks++;
                } else if (answer.contains("\"code\":\"unavailable\"")) {
                    unavailable++;
                }
            }
            acked += roundAcks;
            refused += answers.size() - roundAcks;
            unavailableByRound.add(unavailable);
            room.reveal();
            String reveal = revealed.get(30, TimeUnit.SECONDS);
            int votesInReveal = reveal.split("\"participantId\":\"", -1).length - 1;
            if (votesInReveal != roundAcks) {
                mismatched++;
            }
            rounds++;
            Thread.sleep(Math.max(0, ROUND_MILLIS - (System.nanoTime() - started) / 1_000_000));
        }
        answerMillis.sort(null);
        String summary = String.format(Locale.ROOT, "%d rounds of %d votes at once: %d acked, %d refused (%s), "
                        + "unavailable per round %s; reveals that differ from the acked votes: %d; all %d answers "
                        + "of a round in %d ms (median), %d ms (slowest)", rounds, VOTERS, acked, refused,
                attacker.tallyOf("error:"), unavailableByRound, mismatched, VOTERS,
                answerMillis.isEmpty() ? 0 : answerMillis.get(answerMillis.size() / 2),
                answerMillis.isEmpty() ? 0 : answerMillis.get(answerMillis.size() - 1));
        return new Outcome(summary, List.of(summary, "one room of 100 voters (the facilitator votes too) from one "
                + "address; each round: revote, every vote written at once, the answers awaited, reveal; a round every "
                + "2 s"));
    }
}

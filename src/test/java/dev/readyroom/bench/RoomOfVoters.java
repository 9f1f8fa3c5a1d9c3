package dev.readyroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A room of the attacker's with a facilitator who votes too and {@code voters - 1} more voters, all
 * from the attacker's address, who play revealed rounds on one item through the real protocol.
 */
final class RoomOfVoters {
    private static final String[] CARDS = {"1", "2", "3", "5", "8", "13"};
    /** Three facilitator commands a round stay under the 5 a second a participant may keep up after its burst. */
    private static final long MIN_ROUND_NANOS = 650_000_000L;

    final Attacker attacker;
    final Attacker.Room room;
    final Attacker.Member facilitator = new Attacker.Member("Facilitator");
    final List<Attacker.Member> voters = new ArrayList<>();
    String itemId;
    private int rounds;

    private RoomOfVoters(Attacker attacker, Attacker.Room room) {
        this.attacker = attacker;
        this.room = room;
    }

    /** Creates the room, joins everyone ({@code smallWindow}: 4 KiB receive buffers) and adds one item. */
    static RoomOfVoters join(Attacker attacker, String name, int voters, boolean smallWindow) throws Exception {
        RoomOfVoters room = new RoomOfVoters(attacker, attacker.createRoom(name));
        String join = "{\"type\":\"join\",\"name\":\"Facilitator\",\"role\":\"voter\",\"facilitatorKey\":\""
                + room.room.key() + "\"}";
        Attacker.await(attacker.joinRetrying(room.facilitator, room.room.id(), join, smallWindow, 30));
        List<CompletableFuture<String>> joined = new ArrayList<>();
        for (int i = 1; i < voters; i++) {
            Attacker.Member voter = new Attacker.Member("Voter " + i);
            room.voters.add(voter);
            joined.add(attacker.joinRetrying(voter, room.room.id(), Wire.join("Voter " + i, "voter", null),
                    smallWindow, 30).toCompletionStage().toCompletableFuture());
        }
        CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        room.voters.add(0, room.facilitator);
        // An ack does not name the item: the item.added event does, and comes before the ack.
        CompletableFuture<String> added = new CompletableFuture<>();
        room.facilitator.onText = text -> {
            if (Wire.type(text).equals("item.added")) {
                added.complete(Wire.after(text, "\"item\":{\"id\":\""));
            }
        };
        expectAck(room.facilitator.request("add", "{\"type\":\"item.add\",\"opId\":\"add\",\"title\":"
                + "\"The item with a long history\"}").get(30, TimeUnit.SECONDS));
        room.itemId = added.get(30, TimeUnit.SECONDS);
        room.facilitator.onText = text -> {
        };
        return room;
    }

    /** Opens the next round on the item (its first is a select, then revotes); completes with the ack. */
    String open() throws Exception {
        String opId = "o" + rounds;
        String command = rounds == 0
                ? "{\"type\":\"item.select\",\"opId\":\"" + opId + "\",\"itemId\":\"" + itemId + "\"}"
                : "{\"type\":\"revote\",\"opId\":\"" + opId + "\"}";
        return expectAck(facilitator.request(opId, command).get(30, TimeUnit.SECONDS));
    }

    /** Every voter votes at once; the answers in voter order. */
    List<String> voteAll() throws Exception {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        String opId = "v" + rounds;
        List<Runnable> sends = new ArrayList<>();
        for (int i = 0; i < voters.size(); i++) {
            Attacker.Member voter = voters.get(i);
            CompletableFuture<String> answer = new CompletableFuture<>();
            voter.pending.put(opId, answer);
            answers.add(answer);
            String vote = "{\"type\":\"vote\",\"opId\":\"" + opId + "\",\"value\":\""
                    + CARDS[(rounds + i) % CARDS.length] + "\"}";
            sends.add(() -> voter.send(vote));
        }
        // All in one pass of the attacker's loop: the votes leave back to back.
        attacker.vertx.runOnContext(v -> sends.forEach(Runnable::run));
        List<String> texts = new ArrayList<>();
        for (CompletableFuture<String> answer : answers) {
            texts.add(answer.get(30, TimeUnit.SECONDS));
        }
        return texts;
    }

    /** Reveals the round; completes with the ack. */
    String reveal() throws Exception {
        String opId = "r" + rounds++;
        return expectAck(facilitator.request(opId, "{\"type\":\"reveal\",\"opId\":\"" + opId + "\"}")
                .get(30, TimeUnit.SECONDS));
    }

    /** {@code count} revealed rounds of every voter, at most one every 650 ms. */
    void play(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            open();
            for (String answer : voteAll()) {
                expectAck(answer);
            }
            reveal();
            long left = (started + MIN_ROUND_NANOS - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
        }
    }

    private static String expectAck(String answer) {
        if (!Wire.type(answer).equals("ack")) {
            throw new IllegalStateException("Refused: " + answer);
        }
        return answer;
    }
}

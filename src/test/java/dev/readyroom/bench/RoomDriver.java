package dev.readyroom.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One simulated room, run entirely on its loop: a facilitator and voters who act at scheduled
 * times (open loop). Latency is measured from the intended send time, so a late generator shows
 * as latency and as send lag, never hides it.
 */
final class RoomDriver {
    private static final String[] CARDS = {"1", "2", "3", "5", "8", "13"};
    /**
     * The service allows a burst of 20 messages per connection. Half of it is left spare: a busy
     * server reads what queued on a socket at once, so items sent apart can arrive together.
     */
    private static final int ITEMS_IN_BURST = 10;
    private static final AtomicInteger PRINTED_ERRORS = new AtomicInteger();
    /**
     * A prelude round takes at least this long: the facilitator sends two commands a round and each
     * voter one, under the 5 a second a participant may keep up after its burst.
     */
    private static final long PRELUDE_ROUND_NANOS = 450_000_000L;

    private final Vertx vertx;
    private final Loop loop;
    private final Scenario scenario;
    private final List<LoadGenerator.Endpoint> endpoints;
    private final String roomId;
    private final String facilitatorKey;
    private final SplittableRandom random;
    private final Promise<Void> ready = Promise.promise();
    private final Member facilitator = new Member();
    private final List<Member> voters = new ArrayList<>();
    private final Map<String, Member> byParticipant = new HashMap<>();
    private final List<String> itemIds = new ArrayList<>();
    private int members;
    private int votersSettled;
    private final Event reveal = new Event();
    private final Event select = new Event();
    private final Prelude prelude = new Prelude();

    /**
     * The unmeasured history prelude: round by round, a new round on the first item, every voter's
     * vote, the reveal. A round is over once the reveal is acknowledged and has reached every member,
     * so no prelude event is left to arrive once it is done.
     */
    private static final class Prelude {
        final Promise<Void> done = Promise.promise();
        boolean running;
        int round;
        long roundStarted;
        int votesUnacked;
        boolean revealAcked;
        int revealReceipts;
        /** Each member's prelude command awaiting its answer, sent again if it is answered {@code unavailable}. */
        final Map<Member, String> unanswered = new HashMap<>();
    }

    /** A sent event whose deliveries are being counted: when it was meant to go, and to how many. */
    private static final class Event {
        long intended;
        int round = -1;
        int receipts;
    }

    private static final class Member {
        WebSocket socket;
        String participantId;
        /** Set while the join is unanswered. */
        Runnable settled;
        final Event vote = new Event();
    }

    RoomDriver(Vertx vertx, Loop loop, Scenario scenario, List<LoadGenerator.Endpoint> endpoints, String roomId,
            String facilitatorKey, long seed) {
        this.vertx = vertx;
        this.loop = loop;
        this.scenario = scenario;
        this.endpoints = endpoints;
        this.roomId = roomId;
        this.facilitatorKey = facilitatorKey;
        this.random = new SplittableRandom(seed);
    }

    /** Completes once everyone who could connect has joined and the backlog is in place. */
    Future<Void> ready() {
        return ready.future();
    }

    int members() {
        return members;
    }

    /** On the loop: the facilitator joins and adds one item per round, then the voters join. */
    void connect() {
        open(facilitator, 0, Wire.join("Facilitator", "observer", facilitatorKey), () -> {
            if (facilitator.participantId == null) {
                ready.tryComplete();
                return;
            }
            int burst = Math.min(ITEMS_IN_BURST, scenario.rounds());
            for (int i = 0; i < burst; i++) {
                facilitator.socket.writeTextMessage(Wire.itemAdd(i));
            }
            addItemsFrom(burst);
        });
    }

    /**
     * The items past the burst, each 110 ms after the one before (9 a second, under the rate
     * limit): one timer per item set at once would fire in a bunch if the loop fell behind.
     */
    private void addItemsFrom(int index) {
        if (index < scenario.rounds()) {
            vertx.setTimer(110, id -> {
                facilitator.socket.writeTextMessage(Wire.itemAdd(index));
                addItemsFrom(index + 1);
            });
        }
    }

    private void openVoters() {
        for (int i = 0; i < scenario.voters(); i++) {
            Member voter = new Member();
            voters.add(voter);
            open(voter, i + 1, Wire.join("Voter " + i, "voter", null), () -> {
                if (++votersSettled == scenario.voters()) {
                    ready.tryComplete();
                }
            });
        }
    }

    /**
     * Member {@code index} (the facilitator is 0) connects to endpoint {@code index} modulo their number:
     * with two nodes, consecutive members are on different nodes, so every event crosses nodes.
     */
    private void open(Member member, int index, String join, Runnable settled) {
        LoadGenerator.Endpoint endpoint = endpoints.get(index % endpoints.size());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(endpoint.host())
                .setPort(endpoint.port()).setURI("/ws/rooms/" + roomId).setAllowOriginHeader(false);
        loop.gate.submit(() -> loop.client().connect(options).onComplete(result -> {
            if (result.failed()) {
                failedToJoin(member, settled, result.cause().getMessage());
                return;
            }
            member.socket = result.result();
            member.socket.textMessageHandler(text -> received(member, text));
            member.socket.exceptionHandler(e -> {
            });
            member.settled = settled;
            member.socket.writeTextMessage(join);
        }));
    }

    private void failedToJoin(Member member, Runnable settled, String why) {
        loop.recorder.connectFailures++;
        if (loop.recorder.connectFailures <= 3) {
            System.err.println("A connection failed: " + why);
        }
        loop.gate.done();
        settled.run();
    }

    private void settle(Member member, boolean joined) {
        Runnable settled = member.settled;
        if (settled == null) {
            return;
        }
        member.settled = null;
        loop.gate.done();
        if (joined) {
            members++;
        } else {
            loop.recorder.connectFailures++;
        }
        settled.run();
    }

    /**
     * On the loop: plays {@code scenario.historyRounds()} revealed rounds of every voter on the
     * first item through the real protocol, as fast as acknowledgements and the rate limits allow.
     * Completes at once for a scenario without history.
     */
    Future<Void> playHistory() {
        if (scenario.historyRounds() == 0 || facilitator.participantId == null) {
            prelude.done.tryComplete();
            return prelude.done.future();
        }
        prelude.running = true;
        nextPreludeRound();
        return prelude.done.future();
    }

    private void nextPreludeRound() {
        if (prelude.round == scenario.historyRounds()) {
            prelude.running = false;
            prelude.done.tryComplete();
            return;
        }
        long waitMillis = (prelude.roundStarted + PRELUDE_ROUND_NANOS - System.nanoTime()) / 1_000_000;
        vertx.setTimer(Math.max(1, waitMillis), id -> {
            prelude.roundStarted = System.nanoTime();
            prelude.revealAcked = false;
            prelude.revealReceipts = 0;
            sendPrelude(facilitator, prelude.round == 0
                    ? Wire.prelude("item.select", "s0", ",\"itemId\":\"" + itemIds.get(0) + "\"")
                    : Wire.prelude("revote", "s" + prelude.round, ""));
        });
    }

    private void sendPrelude(Member member, String command) {
        prelude.unanswered.put(member, command);
        member.socket.writeTextMessage(command);
    }

    /** In the prelude: an answer to one of its commands, or an event, which is not counted. */
    private void preludeReceived(Member member, String type, String text) {
        if (type.equals("round.revealed")) {
            if (++prelude.revealReceipts == members && prelude.revealAcked) {
                prelude.round++;
                nextPreludeRound();
            }
            return;
        }
        String opId = Wire.after(text, "\"opId\":\"");
        if (opId == null || !opId.startsWith("h")) {
            return;
        }
        String command = prelude.unanswered.remove(member);
        if (type.equals("error") && text.contains("\"code\":\"unavailable\"") && command != null) {
            // Not committed in time: the protocol's answer is to retry with the same opId.
            loop.recorder.preludeRetries++;
            vertx.setTimer(100, id -> sendPrelude(member, command));
        } else if (type.equals("error")) {
            prelude.running = false;
            prelude.done.tryFail("the history prelude was refused: " + text);
        } else if (type.equals("ack") && opId.startsWith("hs")) {
            // Cards by position, not from the room's random, which the measured rounds draw from as in S2.
            prelude.votesUnacked = 0;
            for (int i = 0; i < voters.size(); i++) {
                Member voter = voters.get(i);
                if (voter.participantId != null) {
                    prelude.votesUnacked++;
                    sendPrelude(voter, Wire.prelude("vote", "v" + prelude.round,
                            ",\"value\":\"" + CARDS[(prelude.round + i) % CARDS.length] + "\""));
                }
            }
        } else if (type.equals("ack") && opId.startsWith("hv") && --prelude.votesUnacked == 0) {
            sendPrelude(facilitator, Wire.prelude("reveal", "r" + prelude.round, ""));
        } else if (type.equals("ack") && opId.startsWith("hr")) {
            prelude.revealAcked = true;
            if (prelude.revealReceipts == members) {
                prelude.round++;
                nextPreludeRound();
            }
        }
    }

    /** On the loop: every action of every round, at absolute {@code System.nanoTime()} times. */
    void schedule(long start) {
        long round = scenario.roundMillis() * 1_000_000;
        for (int k = 0; k < scenario.rounds(); k++) {
            int number = k;
            long s = start + k * round;
            if (k == 0) {
                at(s, () -> send(facilitator, select, 0, s, Wire.select(0, itemIds.get(scenario.itemOfRound(0)))));
            }
            for (Member voter : voters) {
                long t = s + (long) (round * (0.1 + 0.5 * random.nextDouble()));
                String card = CARDS[random.nextInt(CARDS.length)];
                at(t, () -> send(voter, voter.vote, number, t, Wire.vote(number, card)));
            }
            long revealAt = s + round * 7 / 10;
            at(revealAt, () -> send(facilitator, reveal, number, revealAt, Wire.reveal(number)));
            if (k + 1 < scenario.rounds()) {
                long nextAt = s + round * 9 / 10;
                at(nextAt, () -> send(facilitator, select, number + 1, nextAt,
                        Wire.select(number + 1, itemIds.get(scenario.itemOfRound(number + 1)))));
            }
        }
    }

    /** On the loop: everyone leaves for good, so the server has no away participants to expire later. */
    void leave() {
        List<Member> everyone = new ArrayList<>(voters);
        everyone.add(facilitator);
        for (Member member : everyone) {
            if (member.socket != null && member.participantId != null && !member.socket.isClosed()) {
                member.socket.writeTextMessage("{\"type\":\"leave\",\"opId\":\"leave\"}");
            }
        }
    }

    private void at(long nanos, Runnable action) {
        long delayMillis = Math.max(1, (nanos - System.nanoTime() + 999_999) / 1_000_000);
        vertx.setTimer(delayMillis, id -> action.run());
    }

    private void send(Member from, Event event, int round, long intended, String text) {
        if (round >= scenario.warmRounds()) {
            Recorder.record(loop.recorder.sendLag, System.nanoTime() - intended);
        }
        if (from.socket == null || from.participantId == null || from.socket.isClosed()) {
            loop.recorder.sendsOnClosed++;
            return;
        }
        event.intended = intended;
        event.round = round;
        event.receipts = 0;
        if (event == select) {
            loop.recorder.selectExpected += members;
        } else if (event == reveal) {
            loop.recorder.revealExpected += members;
        } else {
            loop.recorder.voteExpected += members;
        }
        from.socket.writeTextMessage(text);
    }

    private void received(Member member, String text) {
        long now = System.nanoTime();
        Recorder r = loop.recorder;
        String type = Wire.type(text);
        if (prelude.running) {
            preludeReceived(member, type, text);
            return;
        }
        switch (type) {
            case "welcome" -> joined(member, Wire.after(text, "\"you\":{\"id\":\""));
            case "ack" -> r.acks++;
            case "error" -> refused(member, text);
            case "vote.cast" -> {
                loop.deliveries.increment();
                r.voteReceived++;
                Member voter = byParticipant.get(Wire.after(text, "\"participantId\":\""));
                if (voter != null) {
                    delivered(voter.vote, now, r.voteDelivery, r.voteEveryone);
                }
            }
            case "round.revealed" -> {
                loop.deliveries.increment();
                r.revealReceived++;
                delivered(reveal, now, r.revealDelivery, r.revealEveryone);
            }
            case "round.started" -> {
                loop.deliveries.increment();
                r.selectReceived++;
                delivered(select, now, null, r.selectEveryone);
            }
            case "item.added" -> {
                loop.deliveries.increment();
                r.otherEvents++;
                if (member == facilitator) {
                    itemIds.add(Wire.after(text, "\"item\":{\"id\":\""));
                    if (itemIds.size() == scenario.rounds()) {
                        openVoters();
                    }
                }
            }
            default -> {
                loop.deliveries.increment();
                r.otherEvents++;
            }
        }
    }

    private void delivered(Event event, long now, Histogram each, Histogram everyone) {
        if (event.round < 0) {
            return;
        }
        loop.tracked.increment();
        if (event.round < scenario.warmRounds()) {
            event.receipts++;
            return;
        }
        long latency = now - event.intended;
        if (each != null) {
            Recorder.record(each, latency);
        }
        if (++event.receipts == members) {
            Recorder.record(everyone, latency);
            loop.recorder.noteEveryone(event.intended, latency);
        }
    }

    private void joined(Member member, String participantId) {
        member.participantId = participantId;
        if (participantId != null) {
            byParticipant.put(participantId, member);
        }
        settle(member, participantId != null);
    }

    private void refused(Member member, String text) {
        if (text.contains("\"code\":\"round_revealed\"")) {
            // A vote sent so late that it crossed the reveal: the generator's lag, not a lost delivery.
            loop.recorder.lateVotes++;
            loop.recorder.voteExpected -= members;
            return;
        }
        loop.recorder.errors++;
        if (PRINTED_ERRORS.incrementAndGet() <= 5) {
            System.err.println("The server refused: " + text);
        }
        settle(member, false);
    }
}

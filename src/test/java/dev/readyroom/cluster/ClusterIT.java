package dev.readyroom.cluster;

import static dev.readyroom.testkit.Acks.lastItemId;
import static dev.readyroom.testkit.Acks.untilAcked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.Deliveries;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RedisServer;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.ServiceNode;
import dev.readyroom.testkit.TestRoom;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real service processes on one Redis of the test's own: clients split across both nodes, and
 * the faults Redis can have (pub/sub dropped, hung, killed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration REPLY = Duration.ofSeconds(5);
    private static final Duration GRACE_PERIOD = Duration.ofSeconds(3);
    /** Short, so that a node that died is seen to: within a lease and a quarter. */
    private static final Duration NODE_LEASE = Duration.ofSeconds(3);
    /** A short grace period, so that the participants of a stopped node can be seen to expire. */
    private static final String[] PROPERTIES = {"-Dreadyroom.limits.messages-per-second=1000",
            "-Dquarkus.log.level=INFO", "-Dreadyroom.presence.grace-period=" + GRACE_PERIOD.toSeconds() + "s",
            "-Dreadyroom.cluster.node-lease=" + NODE_LEASE.toSeconds() + "s"};
    private static RedisServer redis;
    /** The nodes share one record, as a cluster's nodes must (without one, each keeps a temporary record of its own). */
    private static RecordDatabase record;
    private static List<String> nodeOptions;
    private static ServiceNode nodeA;
    private static ServiceNode nodeB;
    /** A third node, started by the tests that pause and kill it. */
    private static ServiceNode nodeC;
    private final List<RoomClient> clients = new ArrayList<>();

    @BeforeAll
    static void startRedisAndTwoNodes() throws Exception {
        redis = RedisServer.started();
        record = RecordDatabase.fresh("readyroom_cluster_it");
        nodeOptions = new ArrayList<>(List.of(PROPERTIES));
        nodeOptions.addAll(record.serviceOptions());
        nodeA = node("a").start();
        nodeB = node("b").start();
        nodeA.awaitReady();
        nodeB.awaitReady();
    }

    private static ServiceNode.Builder node(String name) {
        return ServiceNode.named(name).redis(redis.url()).properties(nodeOptions);
    }

    /** Both nodes' readiness answers {@code status} within {@code within}. */
    private static void awaitBothReadiness(int status, Duration within) {
        await().atMost(within).until(() -> nodeA.readyStatus() == status && nodeB.readyStatus() == status);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeA, nodeB, nodeC, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RoomClient::close);
    }

    private static TestRoom createRoom(ServiceNode node) {
        return TestRoom.create(node.uri(), "Cluster test");
    }

    private RoomClient join(String name, ServiceNode node, TestRoom room, String role, String key) {
        RoomClient client = room.connect(node.uri());
        clients.add(client);
        if (key == null) {
            client.join(name, role);
        } else {
            client.joinAsFacilitator(name, key);
        }
        return client;
    }

    /** Resumes {@code before}'s session on {@code node} as a new client. */
    private RoomClient resume(RoomClient before, ServiceNode node, TestRoom room) {
        JsonObject welcome = before.welcome();
        RoomClient again = room.connect(node.uri());
        clients.add(again);
        again.resume(welcome.getJsonObject("you").getString("name"), welcome.getString("token"),
                welcome.getString("epoch"), welcome.getLong("version"));
        return again;
    }

    private static long version(JsonObject ack) {
        return ack.getLong("version");
    }

    private void assertEveryoneSawEverything(long last) {
        Deliveries.assertEveryoneSawEverything(clients, last, Duration.ofSeconds(2));
    }

    private List<RoomClient> team(TestRoom room, int voters) {
        List<RoomClient> team = new ArrayList<>();
        team.add(join("fran", nodeA, room, "observer", room.facilitatorKey()));
        for (int i = 0; i < voters; i++) {
            team.add(join("voter" + i, i % 2 == 0 ? nodeA : nodeB, room, "voter", null));
        }
        return team;
    }

    /** {@link #team}, with a quick round started by Fran. */
    private List<RoomClient> inAQuickRound(TestRoom room, int voters) {
        List<RoomClient> team = team(room, voters);
        untilAcked(team.get(0), "round.quick");
        return team;
    }

    @Test
    @Order(1)
    void clientsOnBothNodesPlayFullRoundsAndSeeTheSameEvents() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = team(room, 4);
        RoomClient fran = team.get(0);
        String[] cards = {"3", "5", "8", "13"};
        long last = 0;
        for (int round = 0; round < 3; round++) {
            untilAcked(fran, "item.add", "title", "Story " + round);
            await().atMost(REPLY).until(() -> lastItemId(fran) != null);
            String itemId = lastItemId(fran);
            untilAcked(fran, "item.select", "itemId", itemId);
            List<CompletableFuture<JsonObject>> votes = new ArrayList<>();
            for (int v = 1; v < team.size(); v++) {
                RoomClient voter = team.get(v);
                String card = cards[(v + round) % cards.length];
                votes.add(CompletableFuture.supplyAsync(() -> untilAcked(voter, "vote", "value", card)));
            }
            votes.forEach(CompletableFuture::join);
            untilAcked(fran, "reveal");
            last = version(untilAcked(fran, "item.estimate", "itemId", itemId, "value", "5"));
        }
        assertEveryoneSawEverything(last);
        assertThat(nodeB.get("/api/rooms/" + room.id())).contains("\"version\":" + last);
        // Whichever node wrote each entry, the shared record holds all three rounds and their votes.
        await().atMost(Duration.ofSeconds(20)).until(() -> record.count(
                "select count(*) from revealed_vote where room_id = ?", room.id()) == 3 * 4);
        assertThat(record.count("select count(*) from settled_estimate where room_id = ?", room.id())).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aClientResumesOnTheOtherNodeAsTheSameParticipant() throws Exception {
        TestRoom room = createRoom(nodeA);
        RoomClient fran = join("fran", nodeA, room, "observer", room.facilitatorKey());
        RoomClient ana = join("ana", nodeA, room, "voter", null);
        ana.close();
        clients.remove(ana);
        untilAcked(fran, "item.add", "title", "Resume story");
        await().atMost(REPLY).until(() -> lastItemId(fran) != null);
        untilAcked(fran, "item.select", "itemId", lastItemId(fran));

        RoomClient back = resume(ana, nodeB, room);
        assertThat(back.id()).isEqualTo(ana.id());
        long voted = version(untilAcked(back, "vote", "value", "8"));
        await().atMost(REPLY).until(() -> fran.lastVersion() >= voted);
        assertThat(nodeA.get("/api/rooms/" + room.id())).contains("\"participants\":2");
        assertEveryoneSawEverything(voted);
    }

    @Test
    @Order(3)
    void resumingOnTheOtherNodeClosesTheStaleSocketWithoutMarkingTheParticipantAway() throws Exception {
        TestRoom room = createRoom(nodeA);
        RoomClient fran = join("fran", nodeA, room, "observer", room.facilitatorKey());
        RoomClient stale = join("ana", nodeA, room, "voter", null);
        resume(stale, nodeB, room);
        await().atMost(REPLY).until(() -> stale.closeCode() != null);
        assertThat(stale.closeCode()).isEqualTo(4409);
        clients.remove(stale);
        long last = version(untilAcked(fran, "item.add", "title", "After the resume"));
        await().atMost(REPLY).until(() -> fran.lastVersion() >= last);
        assertThat(fran.events()).noneMatch(e -> "participant.presence".equals(e.getString("type"))
                && !e.getBoolean("online"));
    }

    @Test
    @Order(4)
    void killingThePubSubConnectionsMidRoundLosesNothing() throws Exception {
        List<RoomClient> team = inAQuickRound(createRoom(nodeB), 4);
        RoomClient fran = team.get(0);
        untilAcked(team.get(1), "vote", "value", "3");
        assertThat(redis.cli("CLIENT", "KILL", "TYPE", "pubsub")).isNotEqualTo("0");
        untilAcked(team.get(2), "vote", "value", "5");
        untilAcked(team.get(3), "vote", "value", "8");
        untilAcked(team.get(4), "vote", "value", "5");
        long last = version(untilAcked(fran, "reveal"));
        assertEveryoneSawEverything(last);
    }

    @Test
    @Order(5)
    void aHungRedisAnswersUnavailableInTimeAndReadinessGoesDown() throws Exception {
        RoomClient voter = inAQuickRound(createRoom(nodeA), 2).get(1);
        redis.signal("STOP");
        try {
            long start = System.nanoTime();
            String opId = voter.sendCommand("vote", "value", "5");
            await().atMost(Duration.ofSeconds(3)).until(() -> voter.reply(opId) != null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(voter.reply(opId).getString("code")).isEqualTo("unavailable");
            assertThat(millis).as("error after %d ms", millis).isLessThanOrEqualTo(1500);
            awaitBothReadiness(503, Duration.ofSeconds(5));
        } finally {
            redis.signal("CONT");
        }
        awaitBothReadiness(200, Duration.ofSeconds(5));
        long last = version(untilAcked(voter, "vote", "value", "8"));
        assertEveryoneSawEverything(last);
    }

    @Test
    @Order(6)
    void redisKilledForFiveSecondsLosesNoAcknowledgedVote() throws Exception {
        List<RoomClient> team = inAQuickRound(createRoom(nodeA), 4);
        RoomClient fran = team.get(0);
        untilAcked(team.get(1), "vote", "value", "3");
        untilAcked(team.get(2), "vote", "value", "5");
        redis.kill();
        List<CompletableFuture<JsonObject>> duringOutage = new ArrayList<>();
        for (int v = 3; v <= 4; v++) {
            RoomClient voter = team.get(v);
            duringOutage.add(CompletableFuture.supplyAsync(() -> untilAcked(voter, "vote", "value", "13")));
        }
        awaitBothReadiness(503, Duration.ofSeconds(4));
        long killedAt = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        assertThat(duringOutage).noneMatch(CompletableFuture::isDone);
        redis.start();
        long back = System.nanoTime();
        duringOutage.forEach(CompletableFuture::join);
        long last = version(untilAcked(fran, "reveal"));
        assertEveryoneSawEverything(last);
        long convergedMillis = (System.nanoTime() - back) / 1_000_000;
        JsonObject revealed = fran.awaitMessage(m -> "round.revealed".equals(m.getString("type")));
        assertThat(revealed.getJsonObject("round").getJsonArray("votes")).hasSize(4);
        awaitBothReadiness(200, Duration.ofSeconds(5));
        report("redis-kill", "Redis down " + (back - killedAt) / 1_000_000 + " ms; every client at version " + last
                + " " + convergedMillis + " ms after Redis was back");
    }

    @Test
    @Order(7)
    void redisComingBackEmptyRebuildsTheRoomUnderANewEpochAndEveryoneGetsASnapshot() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = inAQuickRound(room, 2);
        untilAcked(team.get(2), "vote", "value", "3");
        untilAcked(team.get(1), "vote", "value", "3");
        String oldEpoch = team.get(1).welcome().getString("epoch");
        assertThat(redis.cli("FLUSHALL")).isEqualTo("OK");

        // Node A served the last change, so its memory holds the latest state to rebuild from. The
        // change that finds Redis empty rebuilds the room; its ack may be overtaken by the 1012 close
        // the new epoch brings (a real client resumes and retries the same opId).
        team.get(1).sendCommand("vote", "value", "5");
        await().atMost(REPLY).until(() -> team.stream().allMatch(c -> c.closeCode() != null));
        assertThat(team).allMatch(c -> c.closeCode() == 1012);

        List<RoomClient> resumed = new ArrayList<>();
        for (RoomClient before : team) {
            resumed.add(resume(before, nodeB, room));
        }
        for (RoomClient again : resumed) {
            JsonObject welcome = again.welcome();
            assertThat(welcome.getString("epoch")).isNotEqualTo(oldEpoch);
            assertThat(welcome.getJsonObject("state").getJsonObject("round").getJsonArray("voted")).hasSize(2);
        }
        // Each resume is a change too; everyone ends at the same version.
        long last = resumed.stream().mapToLong(c -> c.welcome().getLong("version")).max().orElseThrow();
        await().atMost(Duration.ofSeconds(2)).until(() -> resumed.stream().allMatch(c -> c.lastVersion() == last));
    }

    @Test
    @Order(8)
    void crossNodeVoteToBroadcastLatency() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = inAQuickRound(room, 2);
        RoomClient voterOnA = team.get(1);
        RoomClient watcherOnB = join("watcher", nodeB, room, "observer", null);
        String[] cards = {"3", "5"};
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int seen = watcherOnB.eventFrames().size();
            long start = System.nanoTime();
            voterOnA.sendCommand("vote", "value", cards[i % 2]);
            await().atMost(REPLY).pollInterval(Duration.ofNanos(200_000))
                    .until(() -> watcherOnB.eventFrames().size() > seen);
            RoomClient.Frame cast = watcherOnB.eventFrames().get(seen);
            if (i >= 50) { // the first ones warm up both JVMs
                micros.add((cast.nanos() - start) / 1000);
            }
        }
        micros.sort(Long::compare);
        long p50 = micros.get(micros.size() / 2);
        long p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1);
        report("latency", "cross-node vote-to-broadcast over " + micros.size() + " votes: p50 " + p50 / 1000.0
                + " ms, p99 " + p99 / 1000.0 + " ms, max " + micros.get(micros.size() - 1) / 1000.0 + " ms");
        assertThat(p99).isLessThan(250_000);
    }

    @Test
    @Order(9)
    void scriptsFlushedFromRedisAreLoadedAgainByTheNextChange() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = inAQuickRound(room, 2);
        untilAcked(team.get(1), "vote", "value", "3");
        try (RedisServer.Monitor monitor = redis.monitor()) {
            long evalsBefore = commandCalls("eval");
            assertThat(redis.cli("SCRIPT", "FLUSH")).isEqualTo("OK");

            untilAcked(team.get(2), "vote", "value", "5");
            untilAcked(team.get(1), "vote", "value", "8");
            long last = version(untilAcked(team.get(0), "reveal"));
            assertEveryoneSawEverything(last);
            // Three changes of two scripts each, called by SHA-1: a script's text is sent again only
            // the first time a node finds it missing (sending it every time would be six EVALs for
            // this room). Another room's expiry on either node may be the first to find it missing.
            String ofThisRoom = "{" + room.id() + "}";
            assertThat(monitor.calls("evalsha", ofThisRoom)).isGreaterThanOrEqualTo(4);
            assertThat(monitor.calls("eval", ofThisRoom)).isLessThanOrEqualTo(4);
            assertThat(commandCalls("eval") - evalsBefore).isPositive();
        }
    }

    @Test
    @Order(10)
    void aNodeHoldingTheCurrentRoomCommitsInOneCallAndARetryIsAnsweredTheSame() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = inAQuickRound(room, 2);
        RoomClient onA = team.get(1);
        RoomClient onB = team.get(2);
        untilAcked(onA, "vote", "value", "3");

        // Node A made the last change, so its copy is current: the vote is decided on it and
        // committed in one script call, without reading the room first.
        JsonObject vote = new JsonObject().put("type", "vote").put("opId", "vote-once").put("value", "5");
        // Counted for this room only: the nodes' expiry timers of earlier rooms' participants run meanwhile.
        String ofThisRoom = "{" + room.id() + "}";
        try (RedisServer.Monitor monitor = redis.monitor()) {
            long calls = monitor.calls("evalsha", ofThisRoom);
            JsonObject ack = onA.command(vote);
            assertThat(ack.getString("type")).isEqualTo("ack");
            assertThat(monitor.calls("evalsha", ofThisRoom) - calls).isEqualTo(1);

            // The same opId again is answered with the same ack, and changes nothing.
            calls = monitor.calls("evalsha", ofThisRoom);
            assertThat(onA.command(vote)).isEqualTo(ack);
            assertThat(monitor.calls("evalsha", ofThisRoom) - calls).isEqualTo(1);

            // Node B's copy is behind: its commit finds the room changed and decides again on it.
            calls = monitor.calls("evalsha", ofThisRoom);
            JsonObject ackOnB = untilAcked(onB, "vote", "value", "8");
            assertThat(version(ackOnB)).isEqualTo(version(ack) + 1);
            assertThat(monitor.calls("evalsha", ofThisRoom) - calls).isEqualTo(2);
        }
        long last = version(untilAcked(team.get(0), "reveal"));
        assertEveryoneSawEverything(last);
        JsonObject revealed = onB.awaitEvent("round.revealed", last);
        assertThat(revealed.getJsonObject("round").getJsonArray("votes")).hasSize(2);
    }

    @Test
    @Order(11)
    void aNodePausedForLongerThanItsLeaseIsGivenUpAndItsClientsConnectAgain() throws Exception {
        ServiceNode paused = nodeC();
        TestRoom room = createRoom(nodeA);
        RoomClient fran = join("fran", nodeA, room, "observer", room.facilitatorKey());
        List<RoomClient> onC = List.of(join("cy", paused, room, "voter", null),
                join("cid", paused, room, "voter", null));
        untilAcked(fran, "round.quick");
        untilAcked(onC.get(0), "vote", "value", "5");

        // A pause as long as a stop-the-world GC gone wrong, or a VM migration: the node renews nothing.
        paused.signal("STOP");
        try {
            for (RoomClient client : onC) {
                assertThat(awaitPresence(fran, client, false, NODE_LEASE.multipliedBy(3)))
                        .as("%s shown away while its node is paused", client).isNotNull();
            }
        } finally {
            paused.signal("CONT");
        }
        // Back, the node learns it was given up, and its clients connect again: to be shown online.
        for (RoomClient client : onC) {
            Integer closeCode = await().atMost(NODE_LEASE.multipliedBy(2)).until(client::closeCode, Objects::nonNull);
            assertThat(closeCode).as("%s told to connect again", client).isEqualTo(1012);
            RoomClient back = resume(client, paused, room);
            assertThat(back.id()).isEqualTo(client.id());
            assertThat(awaitPresence(fran, client, true, REPLY)).as("%s online again", client).isNotNull();
        }
        JsonObject revealed = fran.awaitEvent("round.revealed", version(untilAcked(fran, "reveal")));
        assertThat(revealed.getJsonObject("round").getJsonArray("votes")).hasSize(1);
        assertThat(onlineAsSeenByNewcomer(room)).containsEntry(onC.get(0).id(), true)
                .containsEntry(onC.get(1).id(), true);
    }

    @Test
    @Order(12)
    void aNodeThatDiesHasItsParticipantsShownAwayUnlessTheyResumedElsewhere() throws Exception {
        ServiceNode dying = nodeC();
        TestRoom room = createRoom(nodeA);
        RoomClient fran = join("fran", nodeA, room, "observer", room.facilitatorKey());
        RoomClient resumer = join("rae", dying, room, "voter", null);
        RoomClient stranded = join("sol", dying, room, "voter", null);
        RoomClient onB = join("bea", nodeB, room, "voter", null);
        untilAcked(fran, "round.quick");

        dying.crash();
        // Rae's client notices at once and resumes on node B, before any node knows node C is dead.
        RoomClient resumed = resume(resumer, nodeB, room);
        assertThat(awaitPresence(fran, stranded, false, NODE_LEASE.multipliedBy(3)))
                .as("%s shown away once node C's lease ran out", stranded).isNotNull();
        assertExpired(fran, stranded);

        // The dead node's drop of Rae's first connection came too late: she stays, online.
        long last = version(untilAcked(resumed, "vote", "value", "3"));
        fran.awaitEvent("vote.cast", last);
        assertThat(fran.messages()).noneMatch(m -> "participant.presence".equals(m.getString("type"))
                && resumer.id().equals(m.getString("participantId")) && !m.getBoolean("online"));
        assertThat(onlineAsSeenByNewcomer(room)).containsEntry(resumer.id(), true).containsEntry(onB.id(), true)
                .doesNotContainKey(stranded.id());
    }

    /** Node C, started on first use. */
    private static ServiceNode nodeC() throws Exception {
        if (nodeC == null) {
            nodeC = node("c").startReady();
        }
        return nodeC;
    }

    /** The first presence event after {@code client}'s welcome that shows it {@code online}, or away. */
    private static JsonObject awaitPresence(RoomClient observer, RoomClient client, boolean online,
            Duration within) {
        long since = client.welcome().getLong("version");
        return await().atMost(within).until(() -> observer.messages().stream()
                .filter(m -> "participant.presence".equals(m.getString("type"))
                        && client.id().equals(m.getString("participantId")) && m.getBoolean("online") == online
                        && m.getLong("version") > since)
                .findFirst().orElse(null), Objects::nonNull);
    }

    /** {@code observer} is told that {@code client}'s participant left the room, its presence expired. */
    private static void assertExpired(RoomClient observer, RoomClient client) {
        JsonObject left = observer.awaitMessage(m -> "participant.left".equals(m.getString("type"))
                && client.id().equals(m.getString("participantId")));
        assertThat(left).as("%s expired", client).isNotNull();
        assertThat(left.getString("reason")).as("%s", client).isEqualTo("expired");
    }

    /** Who is online in the room, from the snapshot in a new participant's welcome. */
    private Map<String, Boolean> onlineAsSeenByNewcomer(TestRoom room) {
        RoomClient newcomer = join("newcomer", nodeA, room, "observer", null);
        Map<String, Boolean> online = new HashMap<>();
        newcomer.welcome().getJsonObject("state").getJsonArray("participants").forEach(p -> online.put(
                ((JsonObject) p).getString("id"), ((JsonObject) p).getBoolean("online")));
        return online;
    }

    @Test
    @Order(13)
    void aNodeStoppingMarksItsParticipantsAwayForTheOtherNodes() throws Exception {
        TestRoom room = createRoom(nodeA);
        List<RoomClient> team = team(room, 12);
        RoomClient fran = team.get(0);
        // Voters 1, 3, ... are on node B: team(...) alternates the nodes.
        List<RoomClient> onB = List.of(team.get(2), team.get(4), team.get(6), team.get(8), team.get(10),
                team.get(12));
        TestRoom roomOnlyOnB = createRoom(nodeA);
        List<RoomClient> everyoneOfIt = List.of(join("bea", nodeB, roomOnlyOnB, "voter", null),
                join("ben", nodeB, roomOnlyOnB, "voter", null));

        // The last test: node B stops for good, as an operator stops a node (SIGTERM).
        nodeB.stop();
        for (RoomClient client : onB) {
            JsonObject away = fran.awaitMessage(m -> "participant.presence".equals(m.getString("type"))
                    && client.id().equals(m.getString("participantId")) && !m.getBoolean("online"));
            assertThat(away).as("%s shown away", client).isNotNull();
            Integer closeCode = await().atMost(REPLY).until(client::closeCode, Objects::nonNull);
            assertThat(closeCode).as("%s told the node is going away", client).isEqualTo(1001);
        }
        // Their expiry timers stopped with node B; node A, which has members in the room, keeps its own.
        for (RoomClient client : onB) {
            assertExpired(fran, client);
        }
        // No node kept timers for a room whose members were all on node B: the next one to open it arms them.
        RoomClient late = join("late", nodeA, roomOnlyOnB, "voter", null);
        for (RoomClient client : everyoneOfIt) {
            assertExpired(late, client);
        }
    }

    /** Calls of a Redis command so far, from INFO commandstats. */
    private static long commandCalls(String command) {
        for (String line : redis.cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    private static void report(String name, String line) throws Exception {
        System.out.println("[cluster-it] " + line);
        Files.writeString(Path.of("target", "cluster-it-" + name + ".txt"), line + System.lineSeparator());
    }
}

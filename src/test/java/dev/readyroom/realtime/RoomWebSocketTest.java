package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoomWebSocketTest {

    @TestHTTPResource("/")
    URI base;

    private final List<TestRoom> rooms = new ArrayList<>();

    @AfterEach
    void closeClients() {
        rooms.forEach(TestRoom::close);
    }

    private TestRoom room() {
        TestRoom room = TestRoom.create(base);
        rooms.add(room);
        return room;
    }

    private Team team() {
        return room().team();
    }

    private static String addAndSelectItem(RoomClient facilitator, String title) {
        JsonObject ack = facilitator.command("item.add", "title", title, "description", "As a PO I want a CSV",
                "acceptanceCriteria", "Opens in a spreadsheet", "value", "Finance stops retyping the numbers");
        assertThat(ack.getString("type")).isEqualTo("ack");
        String itemId = facilitator.awaitEvent("item.added", ack.getLong("version")).getJsonObject("item")
                .getString("id");
        assertThat(facilitator.command("item.select", "itemId", itemId).getString("type"))
                .isEqualTo("ack");
        return itemId;
    }

    @Test
    void aSnapshotCarriesAnItemsLastThreeRoundsAndRestGivesThemAll() {
        Team team = team();
        String itemId = addAndSelectItem(team.facilitator(), "Re-voted");
        team.playRound(itemId, "1", "8");
        team.revote("2", "8");
        team.revote("3", "8");
        team.revote("5", "8");

        JsonObject item = team.room().voter("Cy").welcome().getJsonObject("state").getJsonArray("items")
                .getJsonObject(0);
        List<Integer> all = given().get("/api/rooms/" + team.room().id() + "/items/" + itemId + "/rounds")
                .then().statusCode(200).extract().jsonPath().getList("number", Integer.class);
        assertThat(all).hasSize(4).isSorted();
        assertThat(item.getInteger("roundCount")).isEqualTo(4);
        assertThat(item.getJsonArray("rounds").stream().map(r -> ((JsonObject) r).getInteger("number")))
                .containsExactlyElementsOf(all.subList(1, 4));
        given().get("/api/rooms/" + team.room().id() + "/items/nope/rounds").then().statusCode(404);
    }

    @Test
    void joinAnswersWithAWelcomeSnapshotAndTellsTheOthers() {
        TestRoom room = room();
        RoomClient facilitator = room.connect();
        JsonObject welcome = facilitator.joinAsFacilitator("Fran", room.facilitatorKey());

        assertThat(welcome.getJsonObject("you").getBoolean("facilitator")).isTrue();
        assertThat(welcome.getString("token")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(welcome.getJsonObject("state").getJsonObject("deck").getString("id")).isEqualTo("fibonacci");
        assertThat(welcome.getJsonObject("state").getString("facilitatorId")).isEqualTo(facilitator.id());

        RoomClient ana = room.connect();
        JsonObject anaWelcome = ana.join("Ana", "voter");

        assertThat(anaWelcome.getJsonObject("you").getBoolean("facilitator")).isFalse();
        assertThat(anaWelcome.getJsonObject("state").getJsonArray("participants")).hasSize(2);
        JsonObject joined = facilitator.awaitEvent("participant.joined", anaWelcome.getLong("version"));
        assertThat(joined.getJsonObject("participant").getString("name")).isEqualTo("Ana");
        assertThat(joined.getString("epoch")).isEqualTo(welcome.getString("epoch"));
    }

    @Test
    void hiddenVotesNeverReachOtherClientsBeforeTheReveal() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");

        JsonObject anaAck = team.ana().vote("8", "risk");
        JsonObject boAck = team.bo().vote("3");
        team.facilitator().awaitEvent("vote.cast", boAck.getLong("version"));

        assertThat(anaAck.getJsonObject("vote").getString("value")).isEqualTo("8");
        for (RoomClient other : List.of(team.bo(), team.facilitator())) {
            for (RoomClient.Frame frame : other.frames()) {
                String type = frame.message().getString("type");
                if ("welcome".equals(type) || "ack".equals(type)) {
                    continue;
                }
                assertThat(frame.text()).as("frame %s", frame.text()).doesNotContain("\"8\"")
                        .doesNotContain("\"value\":\"8\"").doesNotContain("\"risk\"");
            }
        }
        JsonObject cast = team.bo().awaitEvent("vote.cast", anaAck.getLong("version"));
        assertThat(cast.fieldNames()).containsExactlyInAnyOrder("type", "epoch", "version", "participantId");
    }

    @Test
    void revealCarriesEveryVoteAndCorrectStatistics() {
        Team team = team();
        RoomClient cy = team.room().connect();
        cy.join("Cy", "voter");
        addAndSelectItem(team.facilitator(), "Export CSV");
        team.ana().vote("3");
        team.bo().vote("13", "scope", "too-big");
        cy.vote("5", "scope");

        JsonObject ack = team.facilitator().command("reveal");

        JsonObject revealed = cy.awaitEvent("round.revealed", ack.getLong("version"));
        JsonObject round = revealed.getJsonObject("round");
        assertThat(round.getBoolean("revealed")).isTrue();
        assertThat(round.getJsonArray("votes")).hasSize(3);
        JsonObject stats = round.getJsonObject("stats");
        assertThat(stats.getDouble("average")).isEqualTo(7.0);
        assertThat(stats.getDouble("median")).isEqualTo(5.0);
        assertThat(stats.getString("min")).isEqualTo("3");
        assertThat(stats.getString("max")).isEqualTo("13");
        assertThat(stats.getInteger("spread")).isEqualTo(3);
        assertThat(stats.getBoolean("consensus")).isFalse();
        assertThat(stats.getJsonObject("outliers").getJsonArray("low")).containsExactly(team.ana().id());
        assertThat(stats.getJsonObject("outliers").getJsonArray("high")).containsExactly(team.bo().id());
        assertThat(stats.getJsonObject("flags").getMap()).containsEntry("scope", 2).containsEntry("too-big", 1);
        assertThat(revealed.getJsonObject("item").getJsonArray("openFlags"))
                .containsExactly("scope", "too-big");
    }

    @Test
    void revoteKeepsEarlierRoundsAndSettlingRecordsTheEstimate() {
        Team team = team();
        String itemId = addAndSelectItem(team.facilitator(), "Export CSV");
        team.ana().vote("2");
        team.bo().vote("8");
        team.facilitator().command("reveal");

        JsonObject revote = team.facilitator().command("revote");
        JsonObject started = team.ana().awaitEvent("round.started", revote.getLong("version"));
        assertThat(started.getJsonObject("round").getString("itemId")).isEqualTo(itemId);
        assertThat(started.getJsonObject("item").getInteger("roundCount")).isEqualTo(1);
        assertThat(started.getJsonObject("item").containsKey("rounds")).as("events carry no history").isFalse();

        team.ana().vote("5");
        team.bo().vote("5");
        JsonObject reveal = team.facilitator().command("reveal");
        JsonObject second = team.bo().awaitEvent("round.revealed", reveal.getLong("version"));
        assertThat(second.getJsonObject("round").getJsonObject("stats").getBoolean("consensus")).isTrue();
        assertThat(second.getJsonObject("item").getInteger("roundCount")).isEqualTo(2);

        JsonObject settle = team.facilitator().command("item.estimate", "itemId", itemId, "value", "5");
        JsonObject estimated = team.ana().awaitEvent("item.estimated", settle.getLong("version"));
        assertThat(estimated.getJsonObject("item").getString("estimate")).isEqualTo("5");
        assertThat(estimated.getJsonObject("item").getString("status")).isEqualTo("estimated");
        assertThat(estimated.getJsonObject("item").getJsonObject("readiness").getBoolean("ready")).isTrue();
    }

    @Test
    void facilitatorCommandsFromOthersAreRefusedAndChangeNothing() {
        Team team = team();
        String itemId = addAndSelectItem(team.facilitator(), "Export CSV");
        long before = given().get("/api/rooms/" + team.room().id()).then().extract().jsonPath().getLong("version");

        for (JsonObject command : List.of(new JsonObject().put("type", "reveal"),
                new JsonObject().put("type", "revote"),
                new JsonObject().put("type", "item.estimate").put("itemId", itemId).put("value", "3"),
                new JsonObject().put("type", "item.add").put("title", "Sneaky"),
                new JsonObject().put("type", "facilitator.transfer").put("participantId", team.ana().id()),
                new JsonObject().put("type", "participant.remove").put("participantId", team.bo().id()))) {
            JsonObject reply = team.ana().command(command);
            assertThat(reply.getString("type")).isEqualTo("error");
            assertThat(reply.getString("code")).isEqualTo("not_facilitator");
        }

        long after = given().get("/api/rooms/" + team.room().id()).then().extract().jsonPath().getLong("version");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aRetriedOpIdIsAppliedOnceAndAnsweredWithTheOriginalAck() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");

        JsonObject retried = new JsonObject().put("type", "vote").put("value", "5").put("opId", "retry-1");
        JsonObject first = team.ana().command(retried);
        JsonObject second = team.ana().command(retried);
        team.bo().vote("3");

        assertThat(second).isEqualTo(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> team.facilitator().events().stream()
                .filter(e -> "vote.cast".equals(e.getString("type"))).count() == 2);
        assertThat(team.facilitator().events().stream().filter(e -> "vote.cast".equals(e.getString("type")))
                .filter(e -> team.ana().id().equals(e.getString("participantId")))).hasSize(1);
    }

    @Test
    void everyClientSeesEveryVersionOnceAndInOrder() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");
        team.ana().vote("5");
        team.bo().vote("8");
        JsonObject last = team.facilitator().command("reveal");

        for (RoomClient client : List.of(team.facilitator(), team.ana(), team.bo())) {
            client.awaitEvent("round.revealed", last.getLong("version"));
            long expected = client.welcome().getLong("version") + 1;
            for (JsonObject event : client.events()) {
                assertThat(event.getLong("version")).isEqualTo(expected++);
            }
        }
    }

    /** The sender's copy of its event and its ack are flushed together; neither may be held back or swapped. */
    @Test
    void theSenderGetsItsEventAndThenItsAck() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");

        for (String card : List.of("3", "5", "8")) {
            JsonObject ack = team.ana().vote(card);
            long version = ack.getLong("version");
            List<String> order = team.ana().messages().stream()
                    .filter(m -> m.getLong("version", -1L) == version)
                    .map(m -> m.getString("type")).toList();
            assertThat(order).containsExactly("vote.cast", "ack");
            team.bo().awaitEvent("vote.cast", version);
        }
    }

    @Test
    void aWelcomeLongerThanOneFrameArrivesWholeBeforeTheEventsAfterIt() {
        TestRoom room = room();
        StringBuilder backlog = new StringBuilder();
        String padding = "x".repeat(180);
        for (int i = 0; i < 400; i++) {
            backlog.append("Item ").append(i).append(' ').append(padding).append('\n');
        }
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/plain; charset=UTF-8")
                .body(backlog.toString()).post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201);

        // Over 64 KiB: Vert.x splits it into frames, and the frames written directly after it wait.
        RoomClient ana = room.voter("Ana");
        assertThat(ana.frames().get(0).text().length()).isGreaterThan(65_536);
        assertThat(ana.welcome().getJsonObject("state").getJsonArray("items")).hasSize(400);
        RoomClient bo = room.voter("Bo");
        JsonObject boJoined = ana.awaitMessage(m -> "participant.joined".equals(m.getString("type")));
        assertThat(ana.messages().get(0).getString("type")).isEqualTo("welcome");
        assertThat(boJoined.getJsonObject("participant").getString("id")).isEqualTo(bo.id());
    }

    @Test
    void resumeAfterAReconnectKeepsTheSameParticipantAndHiddenVote() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");
        team.ana().vote("13", "dependency");
        String anaId = team.ana().id();
        String token = team.ana().welcome().getString("token");

        team.ana().close();
        JsonObject away = team.facilitator().awaitMessage(m -> "participant.presence".equals(m.getString("type"))
                && anaId.equals(m.getString("participantId")) && !m.getBoolean("online"));
        assertThat(away).isNotNull();

        RoomClient again = team.room().connect();
        JsonObject welcome = again.resume("Ana", token, null, null);

        assertThat(welcome.getJsonObject("you").getString("id")).isEqualTo(anaId);
        assertThat(welcome.getString("token")).isEqualTo(token);
        JsonObject state = welcome.getJsonObject("state");
        assertThat(state.getJsonObject("myVote").getString("value")).isEqualTo("13");
        assertThat(state.getJsonObject("myVote").getJsonArray("flags")).containsExactly("dependency");
        assertThat(state.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("name")))
                .containsExactly("Fran", "Ana", "Bo");
        team.facilitator().awaitMessage(m -> "participant.presence".equals(m.getString("type"))
                && anaId.equals(m.getString("participantId")) && m.getBoolean("online"));
    }

    @Test
    void resumeWithAKnownVersionReplaysOnlyWhatWasMissed() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");
        JsonObject lastSeen = team.ana().vote("5");
        String token = team.ana().welcome().getString("token");
        String epoch = team.ana().welcome().getString("epoch");
        team.ana().close();
        team.bo().vote("8");

        RoomClient again = team.room().connect();
        JsonObject welcome = again.resume("Ana", token, epoch, lastSeen.getLong("version"));

        assertThat(welcome.getValue("state")).isNull();
        assertThat(welcome.getLong("version")).isEqualTo(lastSeen.getLong("version"));
        JsonObject reconnected = again.awaitEvent("participant.presence");
        List<Long> versions = again.events().stream().map(e -> e.getLong("version")).toList();
        assertThat(versions.get(0)).isEqualTo(lastSeen.getLong("version") + 1);
        for (int i = 1; i < versions.size(); i++) {
            assertThat(versions.get(i)).isEqualTo(versions.get(i - 1) + 1);
        }
        assertThat(reconnected.getBoolean("online")).isFalse();
    }

    @Test
    void twoRoomsNeverSeeEachOthersEvents() {
        Team first = team();
        TestRoom other = room();
        RoomClient stranger = other.connect();
        stranger.joinAsFacilitator("Zed", other.facilitatorKey());

        addAndSelectItem(first.facilitator(), "Only in the first room");
        first.ana().vote("5");
        stranger.command("item.add", "title", "Only in the second room");

        first.facilitator().awaitEvent("vote.cast");
        for (RoomClient.Frame frame : stranger.frames()) {
            assertThat(frame.text()).doesNotContain("Only in the first room").doesNotContain("Ana");
        }
        for (RoomClient.Frame frame : first.bo().frames()) {
            assertThat(frame.text()).doesNotContain("Only in the second room").doesNotContain("Zed");
        }
    }

    @Test
    void autoRevealRevealsWhenEveryVoterHasVoted() {
        Team team = team();
        team.facilitator().command("settings.update", "autoReveal", true);
        team.facilitator().command("round.quick");

        team.ana().vote("5");
        team.bo().vote("5");

        JsonObject revealed = team.facilitator().awaitEvent("round.revealed");
        assertThat(revealed.getJsonObject("round").getJsonObject("stats").getBoolean("consensus")).isTrue();
        assertThat(revealed.getValue("item")).isNull();
    }

    @Test
    void aRemovedParticipantIsDisconnected() {
        Team team = team();

        JsonObject ack = team.facilitator().command("participant.remove", "participantId", team.bo().id());

        JsonObject left = team.ana().awaitEvent("participant.left", ack.getLong("version"));
        assertThat(left.getString("reason")).isEqualTo("removed");
        await().atMost(Duration.ofSeconds(5)).until(team.bo()::isClosed);
        assertThat(team.bo().closeCode()).isEqualTo(4403);
    }

    @Test
    void aRemovedParticipantIsKeptOutUntilTheFacilitatorLetsThemBackIn() {
        Team team = team();
        String boId = team.bo().id();
        String boToken = team.bo().welcome().getString("token");
        team.facilitator().command("participant.remove", "participantId", boId);
        JsonObject left = team.ana().awaitMessage(m -> "participant.left".equals(m.getString("type"))
                && boId.equals(m.getString("participantId")));
        assertThat(left.getJsonObject("keptOut").getString("name")).isEqualTo("Bo");
        assertThat(Instant.parse(left.getJsonObject("keptOut").getString("until")))
                .as("kept out for the configured 8 h").isAfter(Instant.now().plus(Duration.ofHours(7)));

        try (RoomClient back = team.room().connect()) {
            back.send(resumeWith(boToken));
            JsonObject refused = back.awaitMessage(m -> "error".equals(m.getString("type")));
            assertThat(refused.getString("code")).isEqualTo("removed");
            await().atMost(Duration.ofSeconds(5)).until(back::isClosed);
            assertThat(back.closeCode()).isEqualTo(4403);
        }
        try (RoomClient observer = team.room().connect()) {
            JsonObject snapshot = observer.join("Cy", "observer").getJsonObject("state");
            assertThat(snapshot.getJsonArray("keptOut").getJsonObject(0).getString("participantId")).isEqualTo(boId);
        }
        assertThat(team.ana().command("participant.readmit", "participantId", boId).getString("code"))
                .isEqualTo("not_facilitator");

        JsonObject readmitted = team.facilitator().command("participant.readmit", "participantId", boId);

        team.ana().awaitEvent("participant.readmitted", readmitted.getLong("version"));
        try (RoomClient back = team.room().connect()) {
            back.send(resumeWith(boToken));
            JsonObject welcome = back.awaitMessage(m -> "welcome".equals(m.getString("type")));
            assertThat(welcome.getJsonObject("state").getJsonArray("keptOut")).isEmpty();
            assertThat(back.isClosed()).isFalse();
        }
    }

    private static JsonObject resumeWith(String token) {
        return new JsonObject().put("type", "join").put("name", "Bo").put("role", "voter")
                .put("resume", new JsonObject().put("token", token));
    }

    @Test
    void aDroppedParticipantIsAwayThenLeavesAfterTheGracePeriod() {
        Team team = team();
        String boId = team.bo().id();

        team.bo().close();

        team.ana().awaitMessage(m -> "participant.presence".equals(m.getString("type"))
                && boId.equals(m.getString("participantId")));
        JsonObject left = team.ana().awaitMessage(m -> "participant.left".equals(m.getString("type"))
                && boId.equals(m.getString("participantId")));
        assertThat(left.getString("reason")).isEqualTo("expired");
    }

    @Test
    void theFacilitatorCanHandOverTheRoleAndTheKeyTakesItBack() {
        Team team = team();

        team.facilitator().command("facilitator.transfer", "participantId", team.ana().id());
        JsonObject reveal = team.ana().command("round.quick");
        assertThat(reveal.getString("type")).isEqualTo("ack");
        assertThat(team.facilitator().command("reveal").getString("code")).isEqualTo("not_facilitator");

        RoomClient owner = team.room().connect();
        JsonObject welcome = owner.joinAsFacilitator("Fran again", team.room().facilitatorKey());
        assertThat(welcome.getJsonObject("you").getBoolean("facilitator")).isTrue();
        assertThat(welcome.getJsonObject("state").getString("facilitatorId")).isEqualTo(owner.id());
    }

    @Test
    void commandsAndConnectionsShowInTheMetrics() {
        Team team = team();
        team.facilitator().command("round.quick");
        team.ana().vote("5");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("readyroom_connections").contains("readyroom_rooms ")
                .containsPattern("readyroom_commands_seconds_count\\{[^}]*type=\"vote\"")
                .containsPattern("readyroom_commands_seconds_count\\{[^}]*outcome=\"committed\"");
    }

    @Test
    void observersSeeTheRoundButCannotVote() {
        Team team = team();
        RoomClient watcher = team.room().connect();
        watcher.join("Wen", "observer");
        team.facilitator().command("round.quick");

        JsonObject reply = watcher.vote("5");

        assertThat(reply.getString("code")).isEqualTo("not_voter");
        JsonObject switched = watcher.command("participant.update", "role", "voter");
        assertThat(switched.getString("type")).isEqualTo("ack");
        assertThat(watcher.vote("5").getString("type")).isEqualTo("ack");
    }
}

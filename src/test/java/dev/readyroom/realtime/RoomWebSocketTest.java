package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoomWebSocketTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    private final List<RoomClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(RoomClient::close);
    }

    private RoomClient connect(String roomId) {
        RoomClient client = RoomClient.connect(vertx, base, roomId);
        clients.add(client);
        return client;
    }

    private record Team(TestRooms.Room room, RoomClient facilitator, RoomClient ana, RoomClient bo) {
    }

    private Team team() {
        TestRooms.Room room = TestRooms.create();
        RoomClient facilitator = connect(room.id());
        facilitator.joinAsFacilitator("Fran", room.facilitatorKey());
        RoomClient ana = connect(room.id());
        ana.join("Ana", "voter");
        RoomClient bo = connect(room.id());
        bo.join("Bo", "voter");
        return new Team(room, facilitator, ana, bo);
    }

    private static String addAndSelectItem(RoomClient facilitator, String title) {
        JsonObject ack = facilitator.command("item.add", new JsonObject().put("title", title)
                .put("description", "As a PO I want a CSV").put("acceptanceCriteria", "Opens in a spreadsheet"));
        assertThat(ack.getString("type")).isEqualTo("ack");
        String itemId = facilitator.awaitEvent("item.added", ack.getLong("version")).getJsonObject("item")
                .getString("id");
        assertThat(facilitator.command("item.select", new JsonObject().put("itemId", itemId)).getString("type"))
                .isEqualTo("ack");
        return itemId;
    }

    @Test
    void joinAnswersWithAWelcomeSnapshotAndTellsTheOthers() {
        TestRooms.Room room = TestRooms.create();
        RoomClient facilitator = connect(room.id());
        JsonObject welcome = facilitator.joinAsFacilitator("Fran", room.facilitatorKey());

        assertThat(welcome.getJsonObject("you").getBoolean("facilitator")).isTrue();
        assertThat(welcome.getString("token")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(welcome.getJsonObject("state").getJsonObject("deck").getString("id")).isEqualTo("fibonacci");
        assertThat(welcome.getJsonObject("state").getString("facilitatorId")).isEqualTo(facilitator.id());

        RoomClient ana = connect(room.id());
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
            for (JsonObject frame : other.messages()) {
                if ("welcome".equals(frame.getString("type")) || "ack".equals(frame.getString("type"))) {
                    continue;
                }
                assertThat(frame.encode()).as("frame %s", frame).doesNotContain("\"8\"").doesNotContain("\"value\"")
                        .doesNotContain("risk");
            }
        }
        JsonObject cast = team.bo().awaitEvent("vote.cast", anaAck.getLong("version"));
        assertThat(cast.fieldNames()).containsExactlyInAnyOrder("type", "epoch", "version", "participantId");
    }

    @Test
    void revealCarriesEveryVoteAndCorrectStatistics() {
        Team team = team();
        RoomClient cy = connect(team.room().id());
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
        assertThat(stats.getJsonObject("outliers").getJsonArray("low").getList()).containsExactly(team.ana().id());
        assertThat(stats.getJsonObject("outliers").getJsonArray("high").getList()).containsExactly(team.bo().id());
        assertThat(stats.getJsonObject("flags").getMap()).containsEntry("scope", 2).containsEntry("too-big", 1);
        assertThat(revealed.getJsonObject("item").getJsonArray("openFlags").getList())
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
        assertThat(started.getJsonObject("item").getJsonArray("rounds")).hasSize(1);

        team.ana().vote("5");
        team.bo().vote("5");
        JsonObject reveal = team.facilitator().command("reveal");
        JsonObject second = team.bo().awaitEvent("round.revealed", reveal.getLong("version"));
        assertThat(second.getJsonObject("round").getJsonObject("stats").getBoolean("consensus")).isTrue();
        assertThat(second.getJsonObject("item").getJsonArray("rounds")).hasSize(2);

        JsonObject settle = team.facilitator().command("item.estimate",
                new JsonObject().put("itemId", itemId).put("value", "5"));
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
            JsonObject reply = team.ana().command(command.getString("type"), command);
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

        JsonObject first = team.ana().commandWithOpId("vote", new JsonObject().put("value", "5"), "retry-1");
        JsonObject second = team.ana().commandWithOpId("vote", new JsonObject().put("value", "5"), "retry-1");
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
            long expected = client.welcome.getLong("version") + 1;
            for (JsonObject event : client.events()) {
                assertThat(event.getLong("version")).isEqualTo(expected++);
            }
        }
    }

    @Test
    void resumeAfterAReconnectKeepsTheSameParticipantAndHiddenVote() {
        Team team = team();
        addAndSelectItem(team.facilitator(), "Export CSV");
        team.ana().vote("13", "dependency");
        String anaId = team.ana().id();
        String token = team.ana().welcome.getString("token");

        team.ana().close();
        JsonObject away = team.facilitator().awaitMessage(m -> "participant.presence".equals(m.getString("type"))
                && anaId.equals(m.getString("participantId")) && !m.getBoolean("online"));
        assertThat(away).isNotNull();

        RoomClient again = connect(team.room().id());
        JsonObject welcome = again.join(new JsonObject().put("type", "join").put("name", "Ana").put("role", "voter")
                .put("resume", new JsonObject().put("token", token)));

        assertThat(welcome.getJsonObject("you").getString("id")).isEqualTo(anaId);
        assertThat(welcome.getString("token")).isEqualTo(token);
        JsonObject state = welcome.getJsonObject("state");
        assertThat(state.getJsonObject("myVote").getString("value")).isEqualTo("13");
        assertThat(state.getJsonObject("myVote").getJsonArray("flags").getList()).containsExactly("dependency");
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
        String token = team.ana().welcome.getString("token");
        String epoch = team.ana().welcome.getString("epoch");
        team.ana().close();
        team.bo().vote("8");

        RoomClient again = connect(team.room().id());
        JsonObject welcome = again.join(new JsonObject().put("type", "join").put("name", "Ana").put("role", "voter")
                .put("resume", new JsonObject().put("token", token).put("epoch", epoch)
                        .put("version", lastSeen.getLong("version"))));

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
        TestRooms.Room other = TestRooms.create();
        RoomClient stranger = connect(other.id());
        stranger.joinAsFacilitator("Zed", other.facilitatorKey());

        addAndSelectItem(first.facilitator(), "Only in the first room");
        first.ana().vote("5");
        stranger.command("item.add", new JsonObject().put("title", "Only in the second room"));

        first.facilitator().awaitEvent("vote.cast");
        for (String frame : stranger.frames) {
            assertThat(frame).doesNotContain("Only in the first room").doesNotContain("Ana");
        }
        for (String frame : first.bo().frames) {
            assertThat(frame).doesNotContain("Only in the second room").doesNotContain("Zed");
        }
    }

    @Test
    void autoRevealRevealsWhenEveryVoterHasVoted() {
        Team team = team();
        team.facilitator().command("settings.update", new JsonObject().put("autoReveal", true));
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

        JsonObject ack = team.facilitator().command("participant.remove",
                new JsonObject().put("participantId", team.bo().id()));

        JsonObject left = team.ana().awaitEvent("participant.left", ack.getLong("version"));
        assertThat(left.getString("reason")).isEqualTo("removed");
        await().atMost(Duration.ofSeconds(5)).until(team.bo()::isClosed);
        assertThat(team.bo().closeCode()).isEqualTo(4403);
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

        team.facilitator().command("facilitator.transfer", new JsonObject().put("participantId", team.ana().id()));
        JsonObject reveal = team.ana().command("round.quick");
        assertThat(reveal.getString("type")).isEqualTo("ack");
        assertThat(team.facilitator().command("reveal").getString("code")).isEqualTo("not_facilitator");

        RoomClient owner = connect(team.room().id());
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
        RoomClient watcher = connect(team.room().id());
        watcher.join("Wen", "observer");
        team.facilitator().command("round.quick");

        JsonObject reply = watcher.vote("5");

        assertThat(reply.getString("code")).isEqualTo("not_voter");
        JsonObject switched = watcher.command("participant.update", new JsonObject().put("role", "voter"));
        assertThat(switched.getString("type")).isEqualTo("ack");
        assertThat(watcher.vote("5").getString("type")).isEqualTo("ack");
    }
}

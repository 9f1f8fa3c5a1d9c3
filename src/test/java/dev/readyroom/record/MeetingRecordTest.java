package dev.readyroom.record;

import static dev.readyroom.testkit.Team.acked;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.memory.InMemoryRoomStore;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notes and the rounds that adopted pre-votes in the record: exported, and kept when the live state is lost. */
@QuarkusTest
class MeetingRecordTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    @Inject
    RoomStore store;

    TestRoom room;

    /** Ana and Bo pre-vote, the adopted round is revealed and settled, Fran and Ana (the scribe) write notes. */
    @BeforeEach
    void holdAMeeting() {
        room = TestRoom.create(base, "Team Falcon");
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            acked(fran.command("settings.update", "preVoting", true));
            acked(fran.command("item.add", "title", "Checkout"));
            acked(fran.command("item.add", "title", "Refunds"));
            acked(team.ana().command(preVote("i1", "5")));
            acked(team.bo().command(preVote("i1", "8")));
            acked(team.bo().command(preVote("i2", "13")));
            acked(fran.command("item.select", "itemId", "i1"));
            acked(fran.command("reveal"));
            acked(fran.command("item.note", "itemId", "i1", "text", "8: payments are new to us,\nso \"8\""));
            acked(fran.command("participant.scribe", "participantId", team.ana().id()));
            acked(team.ana().command("item.note", "itemId", "i1", "text", "Decided: refunds in their own item"));
            team.estimate("i1", "8");
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }
    }

    private static JsonObject preVote(String itemId, String value) {
        return new JsonObject().put("type", "prevote").put("itemId", itemId).put("value", value)
                .put("flags", new JsonArray());
    }

    private String export(String format) {
        return new String(given().header("X-Facilitator-Key", room.facilitatorKey())
                .get("/api/rooms/" + room.id() + "/export?format=" + format).then().statusCode(200).extract()
                .body().asByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void jsonHoldsTheNotesAndTheAdoptedRoundButNoPreVoteNotAdopted() {
        String text = export("json");
        JsonPath json = JsonPath.from(text);

        assertThat(json.getList("items[0].notes.author")).containsExactly("Fran", "Ana");
        assertThat(json.getList("items[0].notes.round")).containsExactly(1, 1);
        assertThat(json.getString("items[0].notes[0].text")).isEqualTo("8: payments are new to us,\nso \"8\"");
        assertThat(json.getString("items[0].notes[1].writtenAt")).isNotBlank();
        assertThat(json.getList("items[0].rounds[0].votes.value")).containsExactlyInAnyOrder("5", "8");
        assertThat(json.getList("items[1].notes")).isEmpty();
        JsonObject withoutDeck = new JsonObject(text);
        withoutDeck.remove("deck");
        assertThat(withoutDeck.encode()).as("Bo's pre-vote on Refunds is hidden still").doesNotContain("\"13\"");
    }

    @Test
    void markdownAndCsvShowTheNotes() {
        assertThat(export("md")).contains("- Notes:\n  - Round 1, Fran: 8: payments are new to us, so \"8\"\n"
                + "  - Round 1, Ana: Decided: refunds in their own item\n");
        String csv = export("csv");
        assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",Resolved unknowns,Notes");
        assertThat(csv).contains("\"R1 Fran: 8: payments are new to us,\nso \"\"8\"\" | R1 Ana: Decided: refunds in"
                + " their own item\"");
    }

    @Test
    void notesAndPreVotingAreKeptWhenTheRoomIsRebuiltFromTheRecord() {
        ((InMemoryRoomStore) ClientProxy.unwrap(store)).expireIdle(Duration.ofDays(-1));

        try (RoomClient cy = room.voter("Cy")) {
            JsonObject state = cy.welcome().getJsonObject("state");
            assertThat(state.getJsonObject("settings").getBoolean("preVoting")).isTrue();
            JsonArray notes = state.getJsonArray("items").getJsonObject(0).getJsonArray("notes");
            assertThat(notes.stream().map(n -> ((JsonObject) n).getString("author")).toList())
                    .containsExactly("Fran", "Ana");
            assertThat(notes.getJsonObject(1).getInteger("number")).isEqualTo(2);
            assertThat(state.getJsonArray("items").getJsonObject(1).getInteger("preVoteCount"))
                    .as("hidden pre-votes are never recorded, so they are lost with the live state").isZero();

            acked(cy.command("prevote", "itemId", "i2", "value", "3"));
        }
        try (RoomClient fran = room.facilitator()) {
            JsonObject note = acked(fran.command("item.note", "itemId", "i1", "text", "After the restart"));
            JsonObject added = fran.awaitEvent("note.added", note.getLong("version"));
            assertThat(added.getJsonObject("note").getInteger("number")).isEqualTo(3);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        assertThat(JsonPath.from(export("json")).getList("items[0].notes.text", String.class))
                .isEqualTo(List.of("8: payments are new to us,\nso \"8\"", "Decided: refunds in their own item",
                        "After the restart"));
    }
}

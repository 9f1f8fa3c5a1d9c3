package dev.readyroom.record;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.hamcrest.Matchers.equalTo;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExportTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    TestRoom room;

    @BeforeEach
    void playARoom() {
        room = TestRoom.create(base, "Team Falcon");
        try (Team team = room.team("Ana", "Bø")) {
            team.facilitator().command("item.add", "title", "Export, \"fast\"", "description", "Line one\nLine two",
                    "acceptanceCriteria", "Opens in Excel", "reference", "PROJ-7", "value", "Finance closes sooner");
            team.playRound("i1", "3", "13 scope");
            team.revote("5", "5");
            // A round without the flag leaves it open: it is resolved, with how.
            team.facilitator().command("item.flag.resolve", "itemId", "i1", "flag", "scope", "note",
                    "CSV only, no Excel");
            team.estimate("i1", "5");
            team.facilitator().command("item.add", "title", "=SUM(A1)");
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }
    }

    @Test
    void jsonHoldsEachItemWithItsEstimateRoundsAndReadiness() {
        JsonPath json = facilitator().get("/api/rooms/" + room.id() + "/export?format=json").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(json.getString("name")).isEqualTo("Team Falcon");
        assertThat(json.getInt("summary.items")).isEqualTo(2);
        assertThat(json.getString("items[0].estimate")).isEqualTo("5");
        assertThat(json.getBoolean("items[0].ready")).isTrue();
        assertThat(json.getList("items[0].rounds")).hasSize(2);
        assertThat(json.getList("items[0].rounds[0].distribution.value")).containsExactly("3", "13");
        assertThat(json.getInt("items[0].rounds[0].flags.scope")).isEqualTo(1);
        assertThat(json.getList("items[0].rounds[0].votes.name")).containsExactly("Ana", "Bø");
        assertThat(json.getBoolean("items[0].rounds[1].consensus")).isTrue();
        assertThat(json.getList("items[0].estimates.value")).containsExactly("5");
        assertThat(json.getList("items[1].missing")).containsExactly("acceptance", "value", "estimate");
        assertThat(json.getString("items[0].value")).isEqualTo("Finance closes sooner");
        assertThat(json.getList("items[0].checks.id")).containsExactly("definition", "value", "size", "risks");
        assertThat(json.getInt("runway.readyItems")).isEqualTo(1);
        assertThat(json.getString("items[0].resolutions[0].note")).isEqualTo("CSV only, no Excel");
        assertThat(json.getList("items[0].openFlags")).isEmpty();
    }

    @Test
    void csvIsRfc4180WithAHeaderInUtf8() {
        byte[] body = facilitator().get("/api/rooms/" + room.id() + "/export?format=csv").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"Team-Falcon.csv\""))
                .extract().asByteArray();
        String csv = new String(body, StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFPosition,Item,Title,Description,Acceptance criteria,Reference,Estimate,");
        List<String> records = List.of(csv.substring(1).split("\r\n"));
        assertThat(records).hasSize(3);
        assertThat(records.get(1)).startsWith("1,i1,\"Export, \"\"fast\"\"\",\"Line one\nLine two\",Opens in Excel,"
                + "PROJ-7,5,estimated,yes,,,2,5×2,\"R1: 3×1, 13×1 | R2: 5×2\",scope×1,Finance closes sooner,,,"
                + "definition ✓; value ✓; size ✓; risks ✓,\"scope: CSV only, no Excel\"");
        assertThat(records.get(2)).as("formulas are text").startsWith("2,i2,'=SUM(A1),");
    }

    @Test
    void markdownReadsAsAMeetingSummary() {
        String md = facilitator().get("/api/rooms/" + room.id() + "/export?format=md").then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/markdown")).extract().asString();
        assertThat(md).startsWith("# Refinement summary: Team Falcon\n");
        assertThat(md).contains("**2 items**, 1 estimated, 1 ready for a sprint, 2 rounds revealed.");
        assertThat(md).contains("| 1 | Export, \"fast\" (PROJ-7) | 5 | yes | 2 | — |");
        assertThat(md).contains("- Round 1: 3×1, 13×1 — spread 3 steps, median 8; unknowns flagged: scope (1)");
        assertThat(md).contains("  - Bø: 13 (scope)");
        assertThat(md).contains("- Round 2: 5×2 — consensus, median 5");
        assertThat(md).contains("- Unknowns resolved: scope: CSV only, no Excel");
        assertThat(md).contains("Runway: 1 ready item (target 5), 5 ready points (no velocity set), 0 too big");
    }

    @Test
    void aLoneEstimateBesideAnUnsureVoteIsNoConsensusInTheSummary() {
        TestRoom lone = TestRoom.create(base, "Lone");
        try (Team team = lone.team("Ana", "Bo")) {
            team.facilitator().command("item.add", "title", "Audit log");
            team.playRound("i1", "21", "?");
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }
        String md = given().header("X-Facilitator-Key", lone.facilitatorKey())
                .get("/api/rooms/" + lone.id() + "/export?format=md").then().statusCode(200).extract().asString();
        assertThat(md).contains("- Round 1: 21×1, ?×1 — 1 estimate, 1 unsure, median 21\n");
        assertThat(md).doesNotContain("consensus");
        JsonPath json = given().header("X-Facilitator-Key", lone.facilitatorKey())
                .get("/api/rooms/" + lone.id() + "/export?format=json").then().statusCode(200).extract().jsonPath();
        assertThat(json.getBoolean("items[0].rounds[0].consensus")).isFalse();
    }

    @Test
    void onlyTheFacilitatorOrSomeoneInTheRoomReadsItsRecord() {
        String path = "/api/rooms/" + room.id() + "/export?format=json";
        given().get(path).then().statusCode(401).body("code", equalTo("missing_key"));
        given().header("X-Facilitator-Key", "not-the-key").get(path).then().statusCode(403)
                .body("code", equalTo("invalid_key"));
        given().header("X-Participant-Token", "not-a-token").get(path).then().statusCode(403);
        try (RoomClient cy = room.voter("Cy")) {
            String token = cy.welcome().getString("token");
            given().header("X-Participant-Token", token).get(path).then().statusCode(200)
                    .body("name", equalTo("Team Falcon"));
        }
    }

    /** A request that carries the room's facilitator key. */
    private RequestSpecification facilitator() {
        return given().header("X-Facilitator-Key", room.facilitatorKey());
    }

    @Test
    void anUnknownFormatOrRoomIsRefused() {
        facilitator().get("/api/rooms/" + room.id() + "/export?format=xlsx").then().statusCode(400)
                .body("code", equalTo("invalid_format"));
        facilitator().get("/api/rooms/nope/export?format=csv").then().statusCode(404).body("code", equalTo("room_not_found"));
    }
}

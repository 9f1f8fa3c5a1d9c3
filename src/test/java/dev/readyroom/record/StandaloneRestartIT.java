package dev.readyroom.record;

import static dev.readyroom.testkit.Team.acked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.ServiceNode;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Standalone mode end to end, on the packaged jar with its embedded PostgreSQL: a room played,
 * the service restarted, and the room and its export still hold everything.
 */
class StandaloneRestartIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ServiceNode service;

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aRoomPlayedSurvivesARestartOfTheService() throws Exception {
        service = ServiceNode.named("it").startReady();
        TestRoom room = TestRoom.create(service.uri(), "Restart");
        String roomId = room.id();
        try (Team team = room.team()) {
            acked(team.facilitator().command("item.add", "title", "Survive restarts", "acceptanceCriteria",
                    "Export holds it"));
            team.playRound("i1", "3", "8 risk");
            acked(team.facilitator().command("item.note", "itemId", "i1", "text", "5: the risk is ops' window"));
            team.estimate("i1", "5");
        }
        service.stop();

        service.start();
        service.awaitReady();
        JsonNode summary = get("/api/rooms/" + roomId);
        assertThat(summary.get("items").asInt()).isEqualTo(1);
        assertThat(summary.get("notice").asText()).contains("restored from its record");
        JsonNode export = MAPPER.readTree(export(room, "json"));
        JsonNode item = export.get("items").get(0);
        assertThat(item.get("title").asText()).isEqualTo("Survive restarts");
        assertThat(item.get("estimate").asText()).isEqualTo("5");
        JsonNode round = item.get("rounds").get(0);
        assertThat(round.get("votes").findValuesAsText("value")).containsExactly("3", "8");
        assertThat(round.get("flags").get("risk").asInt()).isEqualTo(1);
        assertThat(item.at("/notes/0/text").asText()).isEqualTo("5: the risk is ops' window");
        assertThat(export(room, "csv")).contains("Survive restarts").contains("R1 Fran: 5: the risk is ops' window");
        assertThat(export(room, "md")).contains("- Round 1: 3×1, 8×1").contains("  - Round 1, Fran: 5: the risk");
        try (room) {
            JsonObject welcome = room.facilitator().welcome();
            assertThat(welcome.getJsonObject("you").getBoolean("facilitator")).isTrue();
            assertThat(welcome.getJsonObject("state").getJsonArray("items").getJsonObject(0).getJsonArray("notes"))
                    .hasSize(1);
        }

        // A crash leaves the embedded PostgreSQL running on the data directory: the next start takes over.
        service.crash();
        service.start();
        service.awaitReady();
        assertThat(MAPPER.readTree(export(room, "json")).at("/items/0/estimate").asText()).isEqualTo("5");
    }

    /**
     * The record freezes, so acknowledged changes wait in the outbox; then the service is asked to
     * stop. It closes every connection as going away, refuses a way back in and any new room, and
     * stops only once the record took what was acknowledged.
     */
    @Test
    void aStopRefusesNewChangesAndWaitsForTheRecordToTakeTheAcknowledgedOnes() throws Exception {
        service = ServiceNode.named("stop").startReady();
        TestRoom room = TestRoom.create(service.uri(), "Stop");
        String roomId = room.id();
        try (room) {
            RoomClient fran = room.facilitator();
            RoomClient ana = room.voter("Ana");
            acked(fran.command("item.add", "title", "Held by a frozen record"));
            acked(fran.command("item.select", "itemId", "i1"));
            service.signalRecord("STOP");
            try {
                acked(ana.vote("8", "risk"));
                acked(fran.command("reveal"));
                acked(fran.command("item.estimate", "itemId", "i1", "value", "8"));
                service.requestStop();

                assertThat(await().atMost(Duration.ofSeconds(10)).until(fran::closeCode, Objects::nonNull))
                        .isEqualTo(1001);
                assertThat(await().atMost(Duration.ofSeconds(5)).until(ana::closeCode, Objects::nonNull))
                        .isEqualTo(1001);
                assertThat(RoomClient.upgradeStatus(service.uri(), roomId)).as("a reconnect while stopping")
                        .isEqualTo(503);
                HttpResponse<String> create = post("/api/rooms", "{\"name\":\"Too late\",\"deck\":\"fibonacci\"}");
                assertThat(create.statusCode()).isEqualTo(503);
                assertThat(MAPPER.readTree(create.body()).get("code").asText()).isEqualTo("unavailable");
                // A stop with nothing to wait for takes well under a second here.
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(service::alive);
            } finally {
                service.signalRecord("CONT");
            }
        }
        assertThat(service.awaitExit(Duration.ofSeconds(30))).as("stopped once the record answered").isTrue();
        assertThat(Files.readString(service.log)).doesNotContain("not written");

        service.start();
        service.awaitReady();
        JsonNode item = MAPPER.readTree(export(room, "json")).at("/items/0");
        assertThat(item.get("estimate").asText()).isEqualTo("8");
        assertThat(item.at("/rounds/0/votes").findValuesAsText("value")).containsExactly("8");
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.http() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return MAPPER.readTree(text(path));
    }

    /** The room's export, asked for with its facilitator key. */
    private String export(TestRoom room, String format) throws IOException, InterruptedException {
        return text("/api/rooms/" + room.id() + "/export?format=" + format, "X-Facilitator-Key", room.facilitatorKey());
    }

    private String text(String path, String... headers) throws IOException, InterruptedException {
        HttpResponse<String> response = service.response(path, headers);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}

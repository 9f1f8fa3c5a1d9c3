package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standalone mode end to end, on the packaged jar with its embedded PostgreSQL: a room played,
 * the service restarted, and the room and its export still hold everything.
 */
class StandaloneRestartIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path dataDir;
    private Path log;
    private int port;
    private Process service;

    @BeforeEach
    void dataDirectory() throws IOException {
        dataDir = Files.createTempDirectory("readyroom-it-data");
        log = Files.createTempFile("readyroom-it", ".log");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void aRoomPlayedSurvivesARestartOfTheService() throws Exception {
        start();
        TestRoom room = TestRoom.create(base(), "Restart");
        String roomId = room.id();
        try (room) {
            RoomClient fran = room.facilitator();
            RoomClient ana = room.voter("Ana");
            RoomClient bo = room.voter("Bo");
            assertAcked(fran.command("item.add", "title", "Survive restarts", "acceptanceCriteria", "Export holds it"));
            assertAcked(fran.command("item.select", "itemId", "i1"));
            assertAcked(ana.vote("3"));
            assertAcked(bo.vote("8", "risk"));
            assertAcked(fran.command("reveal"));
            assertAcked(fran.command("item.estimate", "itemId", "i1", "value", "5"));
        }
        stop();

        start();
        JsonNode summary = get("/api/rooms/" + roomId);
        assertThat(summary.get("items").asInt()).isEqualTo(1);
        assertThat(summary.get("notice").asText()).contains("restored from its record");
        JsonNode export = get("/api/rooms/" + roomId + "/export?format=json");
        JsonNode item = export.get("items").get(0);
        assertThat(item.get("title").asText()).isEqualTo("Survive restarts");
        assertThat(item.get("estimate").asText()).isEqualTo("5");
        JsonNode round = item.get("rounds").get(0);
        assertThat(round.get("votes").findValuesAsText("value")).containsExactly("3", "8");
        assertThat(round.get("flags").get("risk").asInt()).isEqualTo(1);
        assertThat(text("/api/rooms/" + roomId + "/export?format=csv")).contains("Survive restarts");
        assertThat(text("/api/rooms/" + roomId + "/export?format=md")).contains("- Round 1: 3×1, 8×1");
        try (room) {
            assertThat(room.facilitator().welcome().getJsonObject("you").getBoolean("facilitator")).isTrue();
        }

        // A crash leaves the embedded PostgreSQL running on the data directory: the next start takes over.
        service.destroyForcibly().waitFor();
        start();
        assertThat(get("/api/rooms/" + roomId + "/export?format=json").at("/items/0/estimate").asText()).isEqualTo("5");
    }

    private void start() throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dreadyroom.record.data-dir=" + dataDir, "-Dquarkus.http.port=" + port, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(service.isAlive()).as("the service runs; see " + log).isTrue();
            try {
                return status("/q/health/ready") == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
        }
    }

    private int status(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return MAPPER.readTree(text(path));
    }

    private String text(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static void assertAcked(JsonObject reply) {
        assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
    }

    private URI base() {
        return URI.create("http://localhost:" + port);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10));
    }
}

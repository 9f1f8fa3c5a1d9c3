package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
        JsonNode created = post("/api/rooms", "{\"name\":\"Restart\",\"deck\":\"fibonacci\"}");
        String roomId = created.get("id").asText();
        String key = created.get("facilitatorKey").asText();
        try (Socket fran = new Socket(roomId, "{\"type\":\"join\",\"name\":\"Fran\",\"role\":\"observer\","
                + "\"facilitatorKey\":\"" + key + "\"}");
                Socket ana = new Socket(roomId, "{\"type\":\"join\",\"name\":\"Ana\",\"role\":\"voter\"}");
                Socket bo = new Socket(roomId, "{\"type\":\"join\",\"name\":\"Bo\",\"role\":\"voter\"}")) {
            fran.command("{\"type\":\"item.add\",\"title\":\"Survive restarts\",\"acceptanceCriteria\":\"Export holds"
                    + " it\"}");
            fran.command("{\"type\":\"item.select\",\"itemId\":\"i1\"}");
            ana.command("{\"type\":\"vote\",\"value\":\"3\"}");
            bo.command("{\"type\":\"vote\",\"value\":\"8\",\"flags\":[\"risk\"]}");
            fran.command("{\"type\":\"reveal\"}");
            fran.command("{\"type\":\"item.estimate\",\"itemId\":\"i1\",\"value\":\"5\"}");
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
        try (Socket fran = new Socket(roomId, "{\"type\":\"join\",\"name\":\"Fran\",\"role\":\"observer\","
                + "\"facilitatorKey\":\"" + key + "\"}")) {
            assertThat(fran.welcome.path("you").path("facilitator").asBoolean()).isTrue();
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

    private JsonNode post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        return MAPPER.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    /** A participant on the room socket, with the JDK's WebSocket client. */
    private final class Socket implements WebSocket.Listener, AutoCloseable {
        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final AtomicInteger opIds = new AtomicInteger();
        private final WebSocket socket;
        final JsonNode welcome;

        Socket(String roomId, String join) {
            socket = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws/rooms/" + roomId),
                    this).join();
            socket.sendText(join, true).join();
            welcome = awaitMessage(m -> m.path("type").asText().equals("welcome"));
        }

        void command(String json) {
            String opId = "op-" + opIds.incrementAndGet();
            socket.sendText(json.replaceFirst("\\{", "{\"opId\":\"" + opId + "\","), true).join();
            JsonNode reply = awaitMessage(m -> opId.equals(m.path("opId").asText(null)));
            assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("ack");
        }

        JsonNode awaitMessage(Predicate<JsonNode> wanted) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(wanted));
            return received.stream().filter(wanted).findFirst().orElseThrow();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(MAPPER.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}

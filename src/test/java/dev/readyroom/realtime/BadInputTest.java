package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every bad input gets an error with a stable code and changes nothing. */
@QuarkusTest
class BadInputTest {

    @TestHTTPResource("/")
    URI base;

    private TestRoom room;
    private RoomClient facilitator;
    private RoomClient ana;

    @BeforeEach
    void openRoundWithAVoter() {
        room = TestRoom.create(base);
        facilitator = room.facilitator();
        ana = room.voter("Ana");
        facilitator.command("round.quick");
    }

    @AfterEach
    void closeClients() {
        room.close();
    }

    private long roomVersion() {
        return given().get("/api/rooms/" + room.id()).then().statusCode(200).extract().jsonPath().getLong("version");
    }

    private JsonObject sendRawAndAwaitError(RoomClient client, String text) {
        int errorsBefore = errors(client).size();
        client.sendText(text);
        return await().atMost(Duration.ofSeconds(5)).until(() -> errors(client), e -> e.size() > errorsBefore)
                .get(errorsBefore);
    }

    private static List<JsonObject> errors(RoomClient client) {
        return client.messages().stream().filter(m -> "error".equals(m.getString("type"))).toList();
    }

    @Test
    void malformedJsonIsAnError() {
        long before = roomVersion();

        assertThat(sendRawAndAwaitError(ana, "{not json").getString("code")).isEqualTo("malformed");
        assertThat(sendRawAndAwaitError(ana, "[1,2,3]").getString("code")).isEqualTo("malformed");
        assertThat(sendRawAndAwaitError(ana, "\"vote\"").getString("code")).isEqualTo("malformed");
        assertThat(sendRawAndAwaitError(ana, "{\"type\":\"vote\",\"opId\":\"o1\",\"value\":5}").getString("code"))
                .isEqualTo("malformed");
        // Text after the object is not ignored: the message is refused whole, the vote is not cast.
        assertThat(sendRawAndAwaitError(ana, "{\"type\":\"vote\",\"opId\":\"o2\",\"value\":\"5\"} {\"x\":1}")
                .getString("code")).isEqualTo("malformed");
        assertThat(sendRawAndAwaitError(ana, "{\"type\":\"vote\",\"opId\":\"o3\",\"value\":\"5\"}trailing")
                .getString("code")).isEqualTo("malformed");
        assertThat(roomVersion()).isEqualTo(before);
    }

    @Test
    void unknownTypeIsAnErrorThatNamesTheOpId() {
        JsonObject error = ana.command("dance");

        assertThat(error.getString("code")).isEqualTo("unknown_type");
        assertThat(error.getString("opId")).startsWith("op-");
    }

    @Test
    void missingFieldsAreErrors() {
        long before = roomVersion();

        assertThat(ana.command("vote").getString("code")).isEqualTo("missing_field");
        assertThat(facilitator.command("item.select").getString("code")).isEqualTo("missing_field");
        assertThat(facilitator.command("item.add").getString("code")).isEqualTo("missing_field");
        assertThat(sendRawAndAwaitError(ana, "{\"type\":\"vote\",\"value\":\"5\"}").getString("code"))
                .isEqualTo("missing_field");
        assertThat(sendRawAndAwaitError(ana, "{\"opId\":\"x\"}").getString("code")).isEqualTo("missing_field");
        assertThat(roomVersion()).isEqualTo(before);
    }

    @Test
    void aValueNotInTheDeckOrAnUnknownFlagIsRefused() {
        long before = roomVersion();

        assertThat(ana.vote("7").getString("code")).isEqualTo("invalid_value");
        assertThat(ana.vote("XL").getString("code")).isEqualTo("invalid_value");
        assertThat(ana.vote("5", "vibes").getString("code")).isEqualTo("invalid_value");
        assertThat(sendRawAndAwaitError(ana, new JsonObject().put("type", "vote").put("value", "5")
                .put("opId", "x".repeat(65)).encode()).getString("code")).isEqualTo("invalid_value");
        assertThat(roomVersion()).isEqualTo(before);
    }

    @Test
    void badNamesAreRefusedAndTheConnectionCanStillJoin() {
        RoomClient newcomer = room.connect();
        long before = roomVersion();

        for (String name : List.of("", "   ", "x".repeat(41), "Bo\u0000", "Bo\nBo", "Bo\u202E")) {
            JsonObject error = sendRawAndAwaitError(newcomer,
                    new JsonObject().put("type", "join").put("name", name).put("role", "voter").encode());
            assertThat(error.getString("code")).as("name %s", name).isEqualTo("invalid_name");
        }
        assertThat(sendRawAndAwaitError(newcomer, new JsonObject().put("type", "join").put("name", "Bo")
                .put("role", "boss").encode()).getString("code")).isEqualTo("invalid_role");
        assertThat(sendRawAndAwaitError(newcomer, new JsonObject().put("type", "join").put("name", "Bo")
                .put("role", "voter").put("facilitatorKey", "guess").encode()).getString("code"))
                .isEqualTo("invalid_key");
        assertThat(roomVersion()).isEqualTo(before);

        assertThat(newcomer.join("x".repeat(40), "voter").getJsonObject("you").getString("name")).hasSize(40);
    }

    @Test
    void commandsBeforeJoiningAndASecondJoinAreRefused() {
        RoomClient newcomer = room.connect();

        assertThat(newcomer.vote("5").getString("code")).isEqualTo("not_joined");
        newcomer.join("Bo", "voter");
        assertThat(sendRawAndAwaitError(newcomer, new JsonObject().put("type", "join").put("name", "Bo")
                .put("role", "voter").encode()).getString("code")).isEqualTo("already_joined");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedAndTheConnectionStaysOpen() {
        long before = roomVersion();
        String big = new JsonObject().put("type", "item.add").put("opId", "big").put("title", "Big")
                .put("description", "é".repeat(2100)).encode();

        assertThat(sendRawAndAwaitError(facilitator, big).getString("code")).isEqualTo("too_large");
        assertThat(roomVersion()).isEqualTo(before);
        assertThat(ana.vote("5").getString("type")).isEqualTo("ack");
    }

    @Test
    void floodingPastTheRateLimitIsRefused() {
        for (int i = 0; i < 40; i++) {
            ana.send(new JsonObject().put("type", "vote").put("opId", "flood-" + i).put("value", "5"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> ana.messages().stream()
                .filter(m -> m.getString("opId", m.getString("code", "")).startsWith("flood")
                        || "rate_limited".equals(m.getString("code"))).count() == 40);
        long limited = ana.messages().stream().filter(m -> "rate_limited".equals(m.getString("code"))).count();
        long acked = ana.messages().stream().filter(m -> "ack".equals(m.getString("type"))).count();
        assertThat(limited).isGreaterThanOrEqualTo(15);
        assertThat(acked).isLessThanOrEqualTo(25);
    }

    @Test
    void afterItsBurstAParticipantKeepsFiveCommandsASecond() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            ana.send(new JsonObject().put("type", "vote").put("opId", "burst-" + i).put("value", "5"));
        }
        // Then ten a second for three seconds: about half pass.
        for (int i = 0; i < 30; i++) {
            ana.send(new JsonObject().put("type", "vote").put("opId", "steady-" + i).put("value", "8"));
            Thread.sleep(100);
        }

        // Each message is answered once: an ack, or a rate_limited error (without an opId when the
        // connection's own limit refused it before reading it).
        await().atMost(Duration.ofSeconds(5)).until(() -> ana.messages().stream()
                .filter(m -> "ack".equals(m.getString("type")) && m.getString("opId", "").matches("(burst|steady)-.*")
                        || "rate_limited".equals(m.getString("code"))).count() == 50);
        long steadyAcked = ana.messages().stream()
                .filter(m -> m.getString("opId", "").startsWith("steady") && "ack".equals(m.getString("type"))).count();
        assertThat(steadyAcked).as("acked at ten a second over three seconds").isBetween(10L, 21L);
    }

    @Test
    void anUnknownRoomIsRefusedAtTheUpgrade() {
        assertThatThrownBy(() -> RoomClient.connect(base, "no-such-room")).hasMessageContaining("HTTP 404");
    }

    @Test
    void aForeignOriginIsRefusedAndAllowedOnesPass() {
        assertThatThrownBy(() -> room.connect(base, Map.of("Origin", "https://evil.example")))
                .hasMessageContaining("HTTP 403");

        RoomClient sameOrigin = room.connect(base, Map.of("Origin", "http://" + base.getHost() + ":" + base.getPort()));
        assertThat(sameOrigin.join("Same", "voter").getString("type")).isEqualTo("welcome");
        RoomClient configured = room.connect(base, Map.of("Origin", "https://allowed.example"));
        assertThat(configured.join("Configured", "voter").getString("type")).isEqualTo("welcome");
    }

    @Test
    void perMessageCompressionIsNeverNegotiated() throws Exception {
        // A raw handshake, so the response headers can be read as the server sent them.
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            String request = "GET /ws/rooms/" + room.id() + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder response = new StringBuilder();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                response.append(line).append('\n');
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("permessage-deflate");
        }
    }

    @Test
    void binaryFramesCloseTheConnection() {
        RoomClient client = room.connect();

        client.sendBinary(new byte[] {1, 2, 3});

        await().atMost(Duration.ofSeconds(5)).until(client::isClosed);
        assertThat(client.closeCode()).isEqualTo(1003);
    }
}

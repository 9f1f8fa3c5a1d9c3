package dev.readyroom.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.Decks;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.RoomService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * REST writes are limited per network address (4 in a burst here, one more every 2 s), and an
 * import's facilitator key is checked before its body is read, which is at most 2 MiB.
 */
@QuarkusTest
@TestProfile(RequestLimitsTest.FewWrites.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequestLimitsTest {

    public static class FewWrites implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("readyroom.limits.rest-writes-per-address-burst", "4",
                    "readyroom.limits.rest-writes-per-address-per-second", "0.5");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RoomService rooms;

    @Test
    @Order(1)
    void anImportWithAWrongKeyIsRefusedBeforeItsBodyIsSent() throws IOException {
        String roomId = roomMadeInProcess();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(3000);
            // Announces a megabyte, then sends none of it: only an answer that did not wait for the
            // body comes back before the read times out.
            String headers = "POST /api/rooms/" + roomId + "/items/import HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: text/plain\r\nX-Facilitator-Key: not-the-key\r\nContent-Length: 1000000\r\n\r\n";
            socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 403");
            assertClosedAfterTheAnswer(socket.getInputStream());
        }
    }

    @Test
    @Order(1)
    void aChunkedImportWithAWrongKeyIsRefusedAndItsConnectionClosedInsteadOfDrained() throws IOException {
        String roomId = roomMadeInProcess();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(3000);
            String headers = "POST /api/rooms/" + roomId + "/items/import HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: text/plain\r\nX-Facilitator-Key: not-the-key\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + "4000\r\n" + "x".repeat(0x4000) + "\r\n";
            socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
            // The body never ends: a server that drains it before closing would time this read out.
            assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 403");
            assertClosedAfterTheAnswer(socket.getInputStream());
        }
    }

    @Test
    @Order(2)
    void anImportOverTwoMebibytesIsRefusedWhole() {
        RoomService.CreatedRoom room = rooms.create("Too much", Decks.FIBONACCI, new Settings(false))
                .await().atMost(Duration.ofSeconds(5));

        given().contentType("text/plain").header("X-Facilitator-Key", room.facilitatorKey())
                .body("x".repeat(3 << 20)).post("/api/rooms/" + room.state().id() + "/items/import")
                .then().statusCode(413);
    }

    @Test
    @Order(3)
    void roomCreationPastTheBurstIsToldWhenToComeBack() {
        int created = 0;
        Response answer = createRoom();
        while (answer.statusCode() == 201 && created < 10) {
            created++;
            answer = createRoom();
        }
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(created).isLessThanOrEqualTo(4);
        assertThat(answer.jsonPath().getString("code")).isEqualTo("rate_limited");
        assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 2L);
    }

    private Response createRoom() {
        return given().contentType("application/json").body("{\"name\":\"Burst\",\"deck\":\"fibonacci\"}")
                .post("/api/rooms");
    }

    private String roomMadeInProcess() {
        return rooms.create("Limits", Decks.FIBONACCI, new Settings(false)).await().atMost(Duration.ofSeconds(5))
                .state().id();
    }

    /** The rest of the answer says the connection closes, and then it does (no timeout). */
    private static void assertClosedAfterTheAnswer(InputStream in) throws IOException {
        String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(rest.toLowerCase(Locale.ROOT)).contains("connection: close");
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}

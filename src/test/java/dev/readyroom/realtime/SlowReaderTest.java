package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RawUpgrade;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A member that stops reading must not make the server queue its frames without bound: once its
 * write queue has stayed full for the limit (1 s in tests), the server closes it, and the room
 * shows it as away. Everyone else carries on.
 */
@QuarkusTest
class SlowReaderTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aMemberThatStopsReadingIsClosedAndTheRoomGoesOn() throws Exception {
        double closedBefore = slowReadersClosed();
        try (TestRoom room = TestRoom.create(base)) {
            RoomClient facilitator = room.facilitator();
            Socket sleepy = stalledMember(room.id(), "Sleepy");
            facilitator.command("item.add", "title", "Big item");
            String itemId = facilitator.awaitEvent("item.added").getJsonObject("item").getString("id");
            String sleepyId = facilitator.awaitMessage(m -> "participant.joined".equals(m.getString("type"))
                    && "Sleepy".equals(m.getJsonObject("participant").getString("name")))
                    .getJsonObject("participant").getString("id");

            // Each update is a ~4 KB event; Sleepy's tiny receive window fills, then its queue.
            long deadline = System.nanoTime() + 20_000_000_000L;
            int updates = 0;
            while (!away(facilitator, sleepyId) && System.nanoTime() < deadline) {
                JsonObject ack = facilitator.command("item.update", "itemId", itemId,
                        "description", String.valueOf((char) ('a' + updates % 26)).repeat(3_800));
                assertThat(ack.getString("type")).isEqualTo("ack");
                updates++;
                Thread.sleep(60);
            }

            assertThat(away(facilitator, sleepyId)).as("Sleepy is closed and shown away").isTrue();
            assertThat(slowReadersClosed()).isGreaterThan(closedBefore);
            assertThat(facilitator.isClosed()).isFalse();
            // A reader that keeps up got every update.
            assertThat(facilitator.events().stream().filter(e -> "item.updated".equals(e.getString("type"))))
                    .hasSize(updates);
            sleepy.close();
        }
    }

    private static boolean away(RoomClient client, String participantId) {
        return client.events().stream().anyMatch(e -> "participant.presence".equals(e.getString("type"))
                && participantId.equals(e.getString("participantId")) && !e.getBoolean("online"));
    }

    private static double slowReadersClosed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("readyroom_slow_readers_closed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    /** A raw client that joins, then never reads again, with a receive window of a few KB. */
    private Socket stalledMember(String roomId, String name) throws IOException {
        Socket socket = RawUpgrade.open(base, "/ws/rooms/" + roomId, 2048);
        socket.getOutputStream().write(maskedTextFrame(
                new JsonObject().put("type", "join").put("name", name).put("role", "voter").encode()));
        return socket;
    }

    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}

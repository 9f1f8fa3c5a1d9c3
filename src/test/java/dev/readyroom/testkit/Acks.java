package dev.readyroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Commands as a resilient client sends them in cluster tests, where a node may answer unavailable. */
public final class Acks {
    private Acks() {
    }

    /** Sends a command and retries it with the same opId while the service answers unavailable. */
    public static JsonObject untilAcked(RoomClient client, String type, Object... fields) {
        JsonObject command = new JsonObject().put("type", type).put("opId", type + "-" + System.nanoTime());
        for (int i = 0; i < fields.length; i += 2) {
            command.put((String) fields[i], fields[i + 1]);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonObject reply = client.command(command);
            if ("ack".equals(reply.getString("type"))) {
                return reply;
            }
            assertThat(reply.getString("code")).as(reply.encode()).isEqualTo("unavailable");
            assertThat(System.nanoTime()).as("acknowledged in time").isLessThan(deadline);
            try {
                Thread.sleep(200); // a client's retry pause, not a wait for a message
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The id of the last item {@code client} saw added. */
    public static String lastItemId(RoomClient client) {
        String id = null;
        for (JsonObject event : client.events()) {
            if ("item.added".equals(event.getString("type"))) {
                id = event.getJsonObject("item").getString("id");
            }
        }
        return id;
    }
}

package dev.readyroom.record;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A participant on the room socket, for tests: send commands, wait for what comes back. */
public class RoomClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger OP_IDS = new AtomicInteger();

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final WebSocketClientConnection connection;
    public final JsonNode welcome;

    private RoomClient(URI base, String roomId, String name, String role, String facilitatorKey) {
        connection = BasicWebSocketConnector.create().baseUri(base).path("/ws/rooms/" + roomId)
                .onTextMessage((c, text) -> received.add(read(text))).connectAndAwait();
        ObjectNode join = MAPPER.createObjectNode().put("type", "join").put("name", name).put("role", role);
        if (facilitatorKey != null) {
            join.put("facilitatorKey", facilitatorKey);
        }
        connection.sendTextAndAwait(join.toString());
        welcome = awaitMessage(m -> m.path("type").asText().equals("welcome"));
    }

    public static RoomClient join(URI base, String roomId, String name, String role, String facilitatorKey) {
        return new RoomClient(base, roomId, name, role, facilitatorKey);
    }

    /** Sends a command with a fresh opId and returns its ack (or error). */
    public JsonNode command(String type, String... fields) {
        String opId = "op-" + OP_IDS.incrementAndGet();
        ObjectNode command = MAPPER.createObjectNode().put("type", type).put("opId", opId);
        for (int i = 0; i < fields.length; i += 2) {
            command.put(fields[i], fields[i + 1]);
        }
        return send(command, opId);
    }

    public JsonNode vote(String value, String... flags) {
        String opId = "op-" + OP_IDS.incrementAndGet();
        ObjectNode vote = MAPPER.createObjectNode().put("type", "vote").put("opId", opId).put("value", value);
        var array = vote.putArray("flags");
        for (String flag : flags) {
            array.add(flag);
        }
        return send(vote, opId);
    }

    private JsonNode send(ObjectNode command, String opId) {
        connection.sendTextAndAwait(command.toString());
        return awaitMessage(m -> opId.equals(m.path("opId").asText(null)));
    }

    public JsonNode awaitMessage(Predicate<JsonNode> wanted) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Optional<JsonNode> match = received.stream().filter(wanted).findFirst();
            match.ifPresent(m -> found[0] = m);
            return match.isPresent();
        });
        return found[0];
    }

    @Override
    public void close() {
        connection.closeAndAwait();
    }

    private static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.readyroom.realtime;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client of the room socket that records every frame, for tests. */
public final class RoomClient implements AutoCloseable {
    private static final AtomicInteger OP_IDS = new AtomicInteger();

    public final List<String> frames = new CopyOnWriteArrayList<>();
    private final WebSocketClient client;
    private final WebSocket socket;
    private volatile Integer closeCode;
    private volatile String closeReason;
    public JsonObject welcome;

    private RoomClient(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(frames::add);
        socket.closeHandler(ignored -> {
            closeCode = socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode();
            closeReason = socket.closeReason();
        });
    }

    public static RoomClient connect(Vertx vertx, URI base, String roomId) {
        return connect(vertx, base, roomId, Map.of());
    }

    public static RoomClient connect(Vertx vertx, URI base, String roomId, Map<String, String> headers) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setTryUsePerMessageCompression(true).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost())
                .setPort(base.getPort()).setURI("/ws/rooms/" + roomId);
        headers.forEach(options::addHeader);
        try {
            WebSocket socket = client.connect(options).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return new RoomClient(client, socket);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("Could not connect: " + e.getMessage(), e);
        }
    }

    public WebSocket socket() {
        return socket;
    }

    public void send(JsonObject message) {
        socket.writeTextMessage(message.encode());
    }

    public void sendRaw(String text) {
        socket.writeTextMessage(text);
    }

    public JsonObject join(String name, String role) {
        return join(new JsonObject().put("type", "join").put("name", name).put("role", role));
    }

    public JsonObject joinAsFacilitator(String name, String key) {
        return join(new JsonObject().put("type", "join").put("name", name).put("role", "observer")
                .put("facilitatorKey", key));
    }

    public JsonObject join(JsonObject join) {
        send(join);
        welcome = awaitMessage(m -> "welcome".equals(m.getString("type")));
        return welcome;
    }

    public String id() {
        return welcome.getJsonObject("you").getString("id");
    }

    /** Sends a command with a fresh opId and waits for its ack or error. */
    public JsonObject command(String type, JsonObject fields) {
        String opId = "op-" + OP_IDS.incrementAndGet();
        return commandWithOpId(type, fields, opId);
    }

    public JsonObject command(String type) {
        return command(type, new JsonObject());
    }

    public JsonObject commandWithOpId(String type, JsonObject fields, String opId) {
        int already = (int) messages().stream().filter(m -> opId.equals(m.getString("opId"))).count();
        send(fields.copy().put("type", type).put("opId", opId));
        return await().atMost(Duration.ofSeconds(5)).until(() -> messages().stream()
                .filter(m -> opId.equals(m.getString("opId"))).skip(already).findFirst().orElse(null),
                reply -> reply != null);
    }

    public JsonObject vote(String value, String... flags) {
        JsonObject vote = new JsonObject().put("value", value);
        if (flags.length > 0) {
            vote.put("flags", new io.vertx.core.json.JsonArray(List.of((Object[]) flags)));
        }
        return command("vote", vote);
    }

    public List<JsonObject> messages() {
        List<JsonObject> parsed = new ArrayList<>();
        for (String frame : frames) {
            parsed.add(new JsonObject(frame));
        }
        return parsed;
    }

    /** Room events (frames with a version and no reply semantics), in arrival order. */
    public List<JsonObject> events() {
        return messages().stream().filter(m -> m.containsKey("epoch") && !"welcome".equals(m.getString("type")))
                .toList();
    }

    public JsonObject awaitMessage(Predicate<JsonObject> match) {
        return await().atMost(Duration.ofSeconds(5)).until(
                () -> messages().stream().filter(match).findFirst().orElse(null), m -> m != null);
    }

    public JsonObject awaitEvent(String type) {
        return awaitMessage(m -> type.equals(m.getString("type")) && m.containsKey("version"));
    }

    public JsonObject awaitEvent(String type, long version) {
        return awaitMessage(m -> type.equals(m.getString("type")) && m.getLong("version", -1L) == version);
    }

    public JsonObject lastError() {
        List<JsonObject> errors = messages().stream().filter(m -> "error".equals(m.getString("type"))).toList();
        return errors.isEmpty() ? null : errors.get(errors.size() - 1);
    }

    public Integer closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closeCode != null;
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
        client.close();
    }
}

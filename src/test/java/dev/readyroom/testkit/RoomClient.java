package dev.readyroom.testkit;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real client of the room socket, for every test (in-process {@code @QuarkusTest}s and the ITs
 * that run the packaged jar): it keeps every text frame it receives, as sent and parsed, with the
 * time it arrived, and the close code the server sent.
 */
public final class RoomClient implements WebSocket.Listener, AutoCloseable {
    /** How long a test waits for an answer from the service before it fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger OP_IDS = new AtomicInteger();

    /** One text frame as the server sent it, parsed, and when it arrived ({@link System#nanoTime()}). */
    public record Frame(String text, JsonObject message, long nanos) {
    }

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private volatile Integer closeCode;
    private volatile Throwable error;
    private volatile JsonObject welcome;
    private volatile String name;

    private RoomClient(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            socket = builder.buildAsync(uri, this).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new UpgradeRefused(refused.getResponse().statusCode(), e);
            }
            throw new IllegalStateException("Could not connect: " + e.getCause(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not connect: " + e, e);
        }
    }

    /** Opens the socket of a room on the service at {@code base} (its http:// or ws:// address). */
    public static RoomClient connect(URI base, String roomId) {
        return connect(base, roomId, Map.of());
    }

    /** The same with extra handshake headers, such as {@code Origin}. */
    public static RoomClient connect(URI base, String roomId, Map<String, String> headers) {
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/ws/rooms/" + roomId);
        return new RoomClient(ws, headers);
    }

    /** The HTTP status that answered the upgrade to a room's socket: 101 when it was accepted (and closed at once). */
    public static int upgradeStatus(URI base, String roomId) {
        try (RoomClient accepted = connect(base, roomId)) {
            return 101;
        } catch (UpgradeRefused refused) {
            return refused.status();
        }
    }

    /** The server answered the upgrade with an HTTP status instead of switching protocols. */
    public static final class UpgradeRefused extends IllegalStateException {
        private final int status;

        UpgradeRefused(int status, Throwable cause) {
            super("Upgrade refused with HTTP " + status, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    // ---- receiving

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            frames.add(new Frame(text, new JsonObject(text), System.nanoTime()));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        error = failure;
    }

    // ---- sending

    public synchronized void sendText(String text) {
        try {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(this + " could not send", e);
        }
    }

    public void send(JsonObject message) {
        sendText(message.encode());
    }

    public synchronized void sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(this + " could not send", e);
        }
    }

    // ---- joining

    public JsonObject join(String name, String role) {
        return join(new JsonObject().put("type", "join").put("name", name).put("role", role));
    }

    /** Joins as an observer with the room's facilitator key. */
    public JsonObject joinAsFacilitator(String name, String facilitatorKey) {
        return join(new JsonObject().put("type", "join").put("name", name).put("role", "observer")
                .put("facilitatorKey", facilitatorKey));
    }

    /** Joins as a voter resuming an earlier session; {@code epoch} and {@code version} may be null. */
    public JsonObject resume(String name, String token, String epoch, Long version) {
        JsonObject resume = new JsonObject().put("token", token);
        if (epoch != null) {
            resume.put("epoch", epoch);
        }
        if (version != null) {
            resume.put("version", version);
        }
        return join(new JsonObject().put("type", "join").put("name", name).put("role", "voter").put("resume", resume));
    }

    /** Sends a join message and waits for the welcome. */
    public JsonObject join(JsonObject join) {
        name = join.getString("name");
        send(join);
        welcome = awaitMessage(m -> "welcome".equals(m.getString("type")));
        return welcome;
    }

    /** The welcome that answered the join, or null before one. */
    public JsonObject welcome() {
        return welcome;
    }

    /** This participant's id, from the welcome. */
    public String id() {
        return welcome.getJsonObject("you").getString("id");
    }

    // ---- commands

    /** Sends a command of {@code type} with {@code fields} (name, value, name, value...) and returns its reply. */
    public JsonObject command(String type, Object... fields) {
        return command(message(type, fields));
    }

    /**
     * Sends a command (with a fresh opId unless it has one) and waits for the next ack or error carrying
     * its opId: sending the same opId again waits for the answer to the retry.
     */
    public JsonObject command(JsonObject command) {
        JsonObject withOpId = command.containsKey("opId") ? command : command.copy().put("opId", nextOpId());
        String opId = withOpId.getString("opId");
        int before = replies(opId).size();
        send(withOpId);
        return await().atMost(TIMEOUT).until(() -> {
            List<JsonObject> replies = replies(opId);
            return replies.size() > before ? replies.get(before) : null;
        }, Objects::nonNull);
    }

    /** Sends a command with a fresh opId without waiting, and returns the opId. */
    public String sendCommand(String type, Object... fields) {
        String opId = nextOpId();
        send(message(type, fields).put("opId", opId));
        return opId;
    }

    public JsonObject vote(String value, String... flags) {
        JsonObject vote = new JsonObject().put("type", "vote").put("value", value);
        if (flags.length > 0) {
            vote.put("flags", new JsonArray(List.of((Object[]) flags)));
        }
        return command(vote);
    }

    /** The first ack or error answering {@code opId}, or null so far. */
    public JsonObject reply(String opId) {
        List<JsonObject> replies = replies(opId);
        return replies.isEmpty() ? null : replies.get(0);
    }

    private List<JsonObject> replies(String opId) {
        return messages().stream().filter(m -> opId.equals(m.getString("opId"))).toList();
    }

    private static JsonObject message(String type, Object... fields) {
        JsonObject message = new JsonObject().put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            message.put((String) fields[i], fields[i + 1]);
        }
        return message;
    }

    private static String nextOpId() {
        return "op-" + OP_IDS.incrementAndGet();
    }

    // ---- what was received

    /** Every text frame received, in arrival order. */
    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    public List<JsonObject> messages() {
        return frames.stream().map(Frame::message).toList();
    }

    /** Room events (frames with an epoch, other than the welcome), in arrival order. */
    public List<Frame> eventFrames() {
        return frames.stream().filter(f -> f.message().containsKey("epoch")
                && !"welcome".equals(f.message().getString("type"))).toList();
    }

    public List<JsonObject> events() {
        return eventFrames().stream().map(Frame::message).toList();
    }

    /** The version of the latest event or welcome received, or -1 before any. */
    public long lastVersion() {
        List<JsonObject> events = events();
        long welcomed = welcome == null ? -1 : welcome.getLong("version");
        return events.isEmpty() ? welcomed : Math.max(welcomed, events.get(events.size() - 1).getLong("version"));
    }

    /** The first message received that matches, waiting for it. */
    public JsonObject awaitMessage(Predicate<JsonObject> match) {
        return await().atMost(TIMEOUT).until(() -> messages().stream().filter(match).findFirst().orElse(null),
                Objects::nonNull);
    }

    public JsonObject awaitEvent(String type) {
        return awaitMessage(m -> type.equals(m.getString("type")) && m.containsKey("version"));
    }

    public JsonObject awaitEvent(String type, long version) {
        return awaitMessage(m -> type.equals(m.getString("type")) && m.getLong("version", -1L) == version);
    }

    // ---- closing

    /** The status code of the server's close frame, or null while none came. */
    public Integer closeCode() {
        return closeCode;
    }

    /** Whether the connection ended, by a close frame or a failure. */
    public boolean isClosed() {
        return closeCode != null || error != null;
    }

    /** Closes the socket normally (the server sees the participant leave) and drops the connection. */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // Already gone: nothing more to close.
        } finally {
            socket.abort();
        }
    }

    @Override
    public String toString() {
        return "RoomClient[" + name + ", close code " + closeCode + ", error " + error + "]";
    }
}

package dev.readyroom.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A participant's room socket, recording every message it receives, with the time it arrived. */
final class RoomClient implements WebSocket.Listener, AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger OPS = new AtomicInteger();

    record Received(JsonNode message, String text, long nanos) {
    }

    final String name;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    volatile Integer closeCode;
    volatile Throwable error;

    RoomClient(String name, ServiceNode node, String roomId) throws Exception {
        this.name = name;
        this.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(node.ws() + "/ws/rooms/" + roomId), this)
                .get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                received.add(new Received(JSON.readTree(text), text, System.nanoTime()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        error = failure;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    void send(ObjectNode message) {
        try {
            socket.sendText(message.toString(), true).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " could not send (close code " + closeCode + ", error " + error
                    + ")", e);
        }
    }

    void join(String role, String facilitatorKey) {
        ObjectNode join = JSON.createObjectNode().put("type", "join").put("name", name).put("role", role);
        if (facilitatorKey != null) {
            join.put("facilitatorKey", facilitatorKey);
        }
        send(join);
    }

    void resume(String token, String epoch, long version) {
        ObjectNode join = JSON.createObjectNode().put("type", "join").put("name", name).put("role", "voter");
        join.putObject("resume").put("token", token).put("epoch", epoch).put("version", version);
        send(join);
    }

    /** Sends a command with a fresh opId and returns the opId. */
    String command(String type, String... fields) {
        String opId = name + "-" + OPS.incrementAndGet();
        send(message(opId, type, fields));
        return opId;
    }

    static ObjectNode message(String opId, String type, String... fields) {
        ObjectNode message = JSON.createObjectNode().put("type", type).put("opId", opId);
        for (int i = 0; i < fields.length; i += 2) {
            message.put(fields[i], fields[i + 1]);
        }
        return message;
    }

    JsonNode welcome() {
        return first(m -> "welcome".equals(m.path("type").asText()));
    }

    /** The ack or error answering opId, or null so far. */
    JsonNode reply(String opId) {
        return first(m -> opId.equals(m.path("opId").asText()) && !m.path("version").isMissingNode()
                || opId.equals(m.path("opId").asText()) && "error".equals(m.path("type").asText()));
    }

    List<JsonNode> replies(String opId) {
        return received.stream().map(Received::message).filter(m -> opId.equals(m.path("opId").asText())).toList();
    }

    JsonNode first(Predicate<JsonNode> test) {
        for (Received r : received) {
            if (test.test(r.message())) {
                return r.message();
            }
        }
        return null;
    }

    /** Room events (everything with a version that is not a welcome or an ack). */
    List<Received> events() {
        List<Received> events = new ArrayList<>();
        for (Received r : received) {
            String type = r.message().path("type").asText();
            if (r.message().has("epoch") && !"welcome".equals(type) && !"ack".equals(type)) {
                events.add(r);
            }
        }
        return events;
    }

    long lastVersion() {
        List<Received> events = events();
        long welcome = welcome() == null ? -1 : welcome().path("version").asLong();
        return events.isEmpty() ? welcome : Math.max(welcome, events.get(events.size() - 1).message()
                .path("version").asLong());
    }

    @Override
    public void close() {
        socket.abort();
    }
}

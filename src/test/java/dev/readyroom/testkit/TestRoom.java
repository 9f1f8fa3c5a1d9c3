package dev.readyroom.testkit;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room created over the real REST API of the service at {@code base}, and the clients a test
 * opens on it; {@link #close()} closes those still open.
 */
public final class TestRoom implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI base;
    private final String id;
    private final String facilitatorKey;
    private final List<RoomClient> clients = new CopyOnWriteArrayList<>();

    private TestRoom(URI base, String id, String facilitatorKey) {
        this.base = base;
        this.id = id;
        this.facilitatorKey = facilitatorKey;
    }

    public static TestRoom create(URI base) {
        return create(base, "Test room");
    }

    public static TestRoom create(URI base, String name) {
        return create(base, name, "fibonacci");
    }

    /** Creates a room with one of the built-in decks. */
    public static TestRoom create(URI base, String name, String deck) {
        String body = new JsonObject().put("name", name).put("deck", deck).encode();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/rooms")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("POST /api/rooms answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonObject created = new JsonObject(response.body());
            return new TestRoom(base, created.getString("id"), created.getString("facilitatorKey"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return id;
    }

    public String facilitatorKey() {
        return facilitatorKey;
    }

    /** A socket on this room, not joined yet, on the service that created it. */
    public RoomClient connect() {
        return connect(base, Map.of());
    }

    /** A socket on this room through another node of the service. */
    public RoomClient connect(URI node) {
        return connect(node, Map.of());
    }

    public RoomClient connect(URI node, Map<String, String> headers) {
        RoomClient client = RoomClient.connect(node, id, headers);
        clients.add(client);
        return client;
    }

    /** "Fran", an observer holding the facilitator key, joined. */
    public RoomClient facilitator() {
        RoomClient client = connect();
        client.joinAsFacilitator("Fran", facilitatorKey);
        return client;
    }

    public RoomClient voter(String name) {
        RoomClient client = connect();
        client.join(name, "voter");
        return client;
    }

    /** Fran facilitating, Ana and Bo voting: all joined. */
    public Team team() {
        return team("Ana", "Bo");
    }

    /** Fran facilitating and two voters of these names, all joined. */
    public Team team(String voter, String otherVoter) {
        return new Team(this, facilitator(), voter(voter), voter(otherVoter));
    }

    @Override
    public void close() {
        clients.forEach(RoomClient::close);
    }
}

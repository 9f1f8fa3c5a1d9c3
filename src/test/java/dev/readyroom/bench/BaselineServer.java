package dev.readyroom.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The raw baseline: a minimal Vert.x WebSocket server that only fans each message out to its
 * room, after one JSON parse and one re-encode. It speaks just enough of docs/protocol.md for the
 * generator (rooms, welcome, and the events of a round), and keeps no other state: the physical
 * limit of this machine for this traffic.
 */
public final class BaselineServer {
    private static final Map<String, String> EVENT_OF = Map.of("vote", "vote.cast", "reveal", "round.revealed",
            "item.select", "round.started", "item.add", "item.added");

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    private static final class Room {
        final List<ServerWebSocket> members = new CopyOnWriteArrayList<>();
        final AtomicInteger participants = new AtomicInteger();
        long version;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        start(vertx, "127.0.0.1", port).onSuccess(p -> System.out.println("Baseline listening on " + p))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    /** Starts one server per event loop (Vert.x shares the port), as Quarkus does; yields the port. */
    public static Future<Integer> start(Vertx vertx, String host, int port) {
        BaselineServer server = new BaselineServer();
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        int[] actualPort = {port};
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setPerMessageWebSocketCompressionSupported(false)
                                .setPerFrameWebSocketCompressionSupported(false))
                        .requestHandler(server::request)
                        .webSocketHandler(server::socket)
                        .listen(actualPort[0], host)
                        .onSuccess(s -> {
                            actualPort[0] = s.actualPort();
                            started.complete();
                        })
                        .onFailure(started::fail);
            }
        }, new DeploymentOptions().setInstances(port == 0 ? 1 : loops)).map(id -> actualPort[0]);
    }

    private void request(HttpServerRequest request) {
        if (request.method().name().equals("POST") && request.path().equals("/api/rooms")) {
            String id = UUID.randomUUID().toString();
            rooms.put(id, new Room());
            request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("id", id).put("facilitatorKey", "baseline").encode());
        } else {
            request.response().setStatusCode(request.path().equals("/health") ? 200 : 404).end();
        }
    }

    private void socket(ServerWebSocket socket) {
        Room room = socket.path().startsWith("/ws/rooms/") ? rooms.get(socket.path().substring(10)) : null;
        if (room == null) {
            socket.reject(404);
            return;
        }
        String[] participantId = {null};
        socket.textMessageHandler(text -> {
            JsonObject in = new JsonObject(text);
            String type = in.getString("type");
            if ("join".equals(type)) {
                participantId[0] = "p" + room.participants.incrementAndGet();
                room.members.add(socket);
                socket.writeTextMessage(new JsonObject().put("type", "welcome")
                        .put("you", new JsonObject().put("id", participantId[0])).encode());
                return;
            }
            fanOut(room, in, type, participantId[0]);
        });
        socket.closeHandler(v -> room.members.remove(socket));
    }

    /** One re-encode, the same text to every member; under the room's lock so versions go out in order. */
    private static void fanOut(Room room, JsonObject in, String type, String participantId) {
        synchronized (room) {
            long version = ++room.version;
            JsonObject out = new JsonObject().put("type", EVENT_OF.getOrDefault(type, type)).put("version", version)
                    .put("participantId", participantId);
            if ("item.add".equals(type)) {
                out.put("item", new JsonObject().put("id", "i" + version).put("title", in.getString("title")));
            } else {
                in.forEach(field -> {
                    if (!field.getKey().equals("type") && !field.getKey().equals("opId")) {
                        out.put(field.getKey(), field.getValue());
                    }
                });
            }
            String json = out.encode();
            for (ServerWebSocket member : room.members) {
                member.writeTextMessage(json);
            }
        }
    }
}

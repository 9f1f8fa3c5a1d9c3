package dev.readyroom.bench;

import dev.readyroom.testkit.RawUpgrade;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The attacker of bench/Attacks: every socket and request it makes comes from an address of its own
 * ({@link #ADDRESS}), never the honest load's 127.0.0.1, so the service's limits per network address
 * (keyed on the remote host) meet it alone. It counts what it sees in a {@link #tally}.
 */
final class Attacker implements AutoCloseable {
    static final String ADDRESS = "127.0.0.2";
    /** A second office, for what an honest client does after an attack (such as create a room). */
    static final String BYSTANDER_ADDRESS = "127.0.0.3";

    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    final int port;
    /** Counts by name: {@code ack}, {@code error:<code>}, {@code close:<code>}, {@code upgrade:<status>}, ... */
    final Map<String, LongAdder> tally = new ConcurrentSkipListMap<>();
    private final WebSocketClient sockets;
    /** Sockets with a 4 KiB receive buffer, so a member that stops reading holds the server's writes at once. */
    private final WebSocketClient smallWindowSockets;
    private final HttpClient http;
    private final Queue<WebSocket> opened = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> rawOpened = new ConcurrentLinkedQueue<>();

    Attacker(int port) {
        this.port = port;
        this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(ADDRESS)
                .setMaxConnections(100_000).setTryUsePerMessageCompression(false).setConnectTimeout(10_000)
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
        this.smallWindowSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(ADDRESS)
                .setMaxConnections(100_000).setTryUsePerMessageCompression(false).setConnectTimeout(10_000)
                .setReceiveBufferSize(4096));
        this.http = http(vertx, ADDRESS);
    }

    static HttpClient http(Vertx vertx, String address) {
        return vertx.createHttpClient(new HttpClientOptions().setLocalAddress(address).setDefaultHost("127.0.0.1")
                .setMaxPoolSize(64).setConnectTimeout(10_000).setIdleTimeout(30));
    }

    void count(String what) {
        tally.computeIfAbsent(what, key -> new LongAdder()).increment();
    }

    void count(String what, long n) {
        tally.computeIfAbsent(what, key -> new LongAdder()).add(n);
    }

    long counted(String what) {
        LongAdder adder = tally.get(what);
        return adder == null ? 0 : adder.sum();
    }

    /** The tally as {@code name n, name n, ...}, for names starting with {@code prefix}. */
    String tallyOf(String prefix) {
        StringBuilder text = new StringBuilder();
        tally.forEach((name, n) -> {
            if (name.startsWith(prefix)) {
                text.append(text.isEmpty() ? "" : ", ").append(name).append(' ').append(n.sum());
            }
        });
        return text.isEmpty() ? "none" : text.toString();
    }

    record Room(String id, String key) {
    }

    /** A room of the attacker's own, created over REST from its address (one of its REST writes). */
    Room createRoom(String name) throws Exception {
        Answer created = await(post(http, "/api/rooms", "application/json",
                "{\"name\":\"" + name + "\",\"deck\":\"fibonacci\"}"));
        if (created.status() != 201) {
            throw new IllegalStateException("Creating a room answered " + created.status() + ": " + created.body());
        }
        JsonObject body = new JsonObject(created.body());
        return new Room(body.getString("id"), body.getString("facilitatorKey"));
    }

    record Answer(int status, String body) {
    }

    Future<Answer> post(String path, String contentType, String body) {
        return post(http, path, contentType, body);
    }

    Future<Answer> post(HttpClient client, String path, String contentType, String body) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(port).setURI(path)
                        .putHeader("Content-Type", contentType).setTimeout(10_000))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())));
    }

    /** One participant's socket, as a client of the attacker's. */
    static final class Member {
        final String name;
        volatile WebSocket socket;
        volatile String participantId;
        volatile String token;
        volatile Consumer<String> onText = text -> {
        };
        volatile boolean closed;
        /** Commands sent with {@link #request}, by opId, until their ack or error. */
        final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

        Member(String name) {
            this.name = name;
        }

        /** Sends a command and completes with its answer (an ack or an error frame). */
        CompletableFuture<String> request(String opId, String text) {
            CompletableFuture<String> answer = new CompletableFuture<>();
            pending.put(opId, answer);
            send(text);
            return answer;
        }

        void send(String text) {
            WebSocket s = socket;
            if (s != null && !s.isClosed()) {
                s.writeTextMessage(text);
            }
        }
    }

    /**
     * Connects {@code member} to {@code roomId} and sends {@code join}: completes with the welcome's
     * text, or fails with the refusal (an upgrade's status is counted as {@code upgrade:<status>}).
     * Every later frame goes to the member's {@code onText}, and acks, errors and closes are counted.
     */
    Future<String> join(Member member, String roomId, String join) {
        return join(member, roomId, join, false);
    }

    /** As {@link #join(Member, String, String)}; with {@code smallWindow}, on a 4 KiB receive buffer. */
    Future<String> join(Member member, String roomId, String join, boolean smallWindow) {
        Promise<String> welcome = Promise.promise();
        connect(roomId, smallWindow ? smallWindowSockets : sockets).onComplete(result -> {
            if (result.failed()) {
                welcome.fail(result.cause());
                return;
            }
            WebSocket socket = result.result();
            member.socket = socket;
            member.closed = false;
            socket.closeHandler(v -> {
                member.closed = true;
                count("close:" + socket.closeStatusCode());
                welcome.tryFail("closed with " + socket.closeStatusCode());
            });
            socket.textMessageHandler(text -> {
                String type = Wire.type(text);
                if (type.equals("welcome")) {
                    member.participantId = Wire.after(text, "\"you\":{\"id\":\"");
                    member.token = Wire.after(text, "\"token\":\"");
                    welcome.tryComplete(text);
                    return;
                }
                if (type.equals("ack")) {
                    count("ack");
                } else if (type.equals("error")) {
                    count("error:" + Wire.after(text, "\"code\":\""));
                    welcome.tryFail(text);
                }
                if (type.equals("ack") || type.equals("error")) {
                    String opId = Wire.after(text, "\"opId\":\"");
                    CompletableFuture<String> answer = opId == null ? null : member.pending.remove(opId);
                    if (answer != null) {
                        answer.complete(text);
                    }
                }
                member.onText.accept(text);
            });
            socket.writeTextMessage(join);
        });
        return welcome.future();
    }

    /**
     * As {@link #join(Member, String, String, boolean)}, waiting a second and trying again while the
     * upgrade is refused with 429 (the address's burst of upgrades is spent), up to {@code tries} times.
     */
    Future<String> joinRetrying(Member member, String roomId, String join, boolean smallWindow, int tries) {
        return join(member, roomId, join, smallWindow).recover(failure -> {
            if (tries > 1 && failure instanceof UpgradeRejectedException rejected && rejected.getStatus() == 429) {
                Promise<String> retried = Promise.promise();
                vertx.setTimer(1_000, id -> joinRetrying(member, roomId, join, smallWindow, tries - 1)
                        .onComplete(retried));
                return retried.future();
            }
            return Future.failedFuture(failure);
        });
    }

    /** A socket upgrade from the attacker's address; a refused one is counted by its status. */
    Future<WebSocket> connect(String roomId) {
        return connect(roomId, sockets);
    }

    private Future<WebSocket> connect(String roomId, WebSocketClient client) {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws/rooms/" + roomId).setAllowOriginHeader(false)).onComplete(result -> {
                    if (result.succeeded()) {
                        count("upgrade:101");
                        opened.add(result.result());
                        result.result().exceptionHandler(e -> {
                        });
                    } else if (result.cause() instanceof UpgradeRejectedException rejected) {
                        count("upgrade:" + rejected.getStatus());
                    } else {
                        count("upgrade:failed");
                    }
                });
    }

    /** A plain TCP socket to the service from the attacker's address, closed with the attacker. */
    Socket rawSocket(int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.bind(new InetSocketAddress(ADDRESS, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        rawOpened.add(socket);
        return socket;
    }

    /** A WebSocket upgrade written by hand on {@code socket}: the answer's status. */
    int rawUpgrade(Socket socket, String roomId) throws IOException {
        String request = "GET /ws/rooms/" + roomId + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String status = RawUpgrade.readHeaders(socket.getInputStream());
        int code = status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : -1;
        count("upgrade:" + code);
        return code;
    }

    /** A masked client frame ({@code opcode} 0x1 text, 0x9 ping) of a payload under 126 bytes. */
    static byte[] frame(int opcode, byte[] payload) {
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Closes every socket the attacker opened, then its Vert.x. */
    @Override
    public void close() throws Exception {
        for (Socket socket : rawOpened) {
            try {
                socket.close();
            } catch (IOException e) {
                // Already gone.
            }
        }
        vertx.runOnContext(v -> opened.forEach(socket -> {
            if (!socket.isClosed()) {
                socket.close();
            }
        }));
        Thread.sleep(500);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}

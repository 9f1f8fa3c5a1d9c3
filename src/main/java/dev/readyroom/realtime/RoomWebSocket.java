package dev.readyroom.realtime;

import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.live.NodeIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/**
 * The live room socket, {@code /ws/rooms/{roomId}}: see docs/protocol.md. Messages go to
 * {@link CommandDispatch} (the join among them, to {@link Handshake}); a close to {@link Presence}.
 */
@WebSocket(path = "/ws/rooms/{roomId}")
public class RoomWebSocket {
    private static final Logger LOG = Logger.getLogger(RoomWebSocket.class);

    private final CommandDispatch dispatch;
    private final Presence presence;
    private final ReadyRoomConfig config;
    private final NodeIdentity node;
    private final Counter slowReadersClosed;

    public RoomWebSocket(CommandDispatch dispatch, Presence presence, ReadyRoomConfig config, NodeIdentity node,
            MeterRegistry metrics) {
        this.dispatch = dispatch;
        this.presence = presence;
        this.config = config;
        this.node = node;
        this.slowReadersClosed = metrics.counter("readyroom.slow.readers.closed");
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection, @PathParam String roomId) {
        RateLimiter limiter = new RateLimiter(config.limits().messagesPerSecond(), System.nanoTime());
        new ConnectionState(node.nextConnection(), roomId, limiter,
                Outbound.of(connection, config.websocket().slowReaderLimit(), slowReadersClosed)).attachTo(connection);
    }

    @OnTextMessage
    public Uni<Void> onText(String message, WebSocketConnection connection) {
        return dispatch.received(connection, message);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection connection) {
        return connection.close(new CloseReason(1003, "Send JSON text frames"));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        return presence.closed(connection);
    }

    @OnError
    public void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("Connection %s failed: %s", connection.id(), failure.getMessage());
    }
}

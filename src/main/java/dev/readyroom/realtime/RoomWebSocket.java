package dev.readyroom.realtime;

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

/** The live room socket, {@code /ws/rooms/{roomId}}: see docs/protocol.md. */
@WebSocket(path = "/ws/rooms/{roomId}")
public class RoomWebSocket {
    private static final Logger LOG = Logger.getLogger(RoomWebSocket.class);

    private final RoomSessions sessions;

    public RoomWebSocket(RoomSessions sessions) {
        this.sessions = sessions;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection, @PathParam String roomId) {
        sessions.opened(connection, roomId);
    }

    @OnTextMessage
    public Uni<Void> onText(String message, WebSocketConnection connection) {
        return sessions.received(connection, message);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer message, WebSocketConnection connection) {
        return connection.close(new CloseReason(1003, "Send JSON text frames"));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        return sessions.closed(connection);
    }

    @OnError
    public void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("Connection %s failed: %s", connection.id(), failure.getMessage());
    }
}

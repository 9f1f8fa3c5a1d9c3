package dev.readyroom.realtime;

import dev.readyroom.admission.AddressLimits;
import dev.readyroom.admission.RateLimiter;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

/** What this node knows about one WebSocket connection, kept in the connection's user data. */
final class ConnectionState {
    private static final TypedKey<ConnectionState> KEY = new TypedKey<>("readyroom.state");

    /** This connection's name in the room's state while it holds its participant online. */
    final String name;
    final String roomId;
    /** The network address it came from, as {@link AddressLimits} counts it. */
    final String address;
    final RateLimiter rateLimiter;
    final Outbound out;
    volatile boolean joining;
    volatile RoomConnections.Member member;
    volatile boolean closed;
    /** Its close was handled: its participant is shown away, or needed not be. */
    volatile boolean departed;
    int rejectedInARow;

    ConnectionState(String name, String roomId, String address, RateLimiter rateLimiter, Outbound out) {
        this.name = name;
        this.roomId = roomId;
        this.address = address;
        this.rateLimiter = rateLimiter;
        this.out = out;
    }

    void attachTo(WebSocketConnection connection) {
        connection.userData().put(KEY, this);
    }

    /** The state of a connection, or null before it was attached. */
    static ConnectionState of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    boolean joined() {
        return member != null;
    }

    void send(String text) {
        out.send(text);
    }
}

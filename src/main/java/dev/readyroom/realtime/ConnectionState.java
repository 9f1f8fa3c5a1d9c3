package dev.readyroom.realtime;

/** What this node knows about one WebSocket connection. */
final class ConnectionState {
    /** This connection's name in the room's state while it holds its participant online. */
    final String name;
    final String roomId;
    final RateLimiter rateLimiter;
    final Outbound out;
    volatile boolean joining;
    volatile RoomConnections.Member member;
    volatile boolean closed;
    /** Its close was handled: its participant is shown away, or needed not be. */
    volatile boolean departed;
    int rejectedInARow;

    ConnectionState(String name, String roomId, RateLimiter rateLimiter, Outbound out) {
        this.name = name;
        this.roomId = roomId;
        this.rateLimiter = rateLimiter;
        this.out = out;
    }

    boolean joined() {
        return member != null;
    }
}

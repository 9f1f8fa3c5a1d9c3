package dev.readyroom.realtime;

/** What this node knows about one WebSocket connection. */
final class ConnectionState {
    final String roomId;
    final RateLimiter rateLimiter;
    final Outbound out;
    volatile boolean joining;
    volatile RoomConnections.Member member;
    volatile boolean closed;
    /** Its close was handled: its participant is shown away, or needed not be. */
    volatile boolean departed;
    int rejectedInARow;

    ConnectionState(String roomId, RateLimiter rateLimiter, Outbound out) {
        this.roomId = roomId;
        this.rateLimiter = rateLimiter;
        this.out = out;
    }

    boolean joined() {
        return member != null;
    }
}

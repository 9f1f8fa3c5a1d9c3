package dev.readyroom.realtime;

/** What this node knows about one WebSocket connection. */
final class ConnectionState {
    final String roomId;
    final RateLimiter rateLimiter;
    volatile boolean joining;
    volatile RoomConnections.Member member;
    volatile boolean closed;
    int rejectedInARow;

    ConnectionState(String roomId, RateLimiter rateLimiter) {
        this.roomId = roomId;
        this.rateLimiter = rateLimiter;
    }

    boolean joined() {
        return member != null;
    }
}

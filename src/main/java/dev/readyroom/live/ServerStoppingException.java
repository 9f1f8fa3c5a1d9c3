package dev.readyroom.live;

/** A change refused because this node is stopping; retried after a reconnect it goes through. */
public class ServerStoppingException extends LiveStoreUnavailableException {
    public ServerStoppingException() {
        super("This server is stopping; try again in a moment.", null);
    }
}

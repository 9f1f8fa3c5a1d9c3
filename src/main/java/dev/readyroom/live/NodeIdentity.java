package dev.readyroom.live;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's name for as long as the process lives, and the names of its connections. A
 * participant's state records the connection that holds them online, so a drop reported late for
 * an older connection is refused, and the participants of a node that died can be found.
 */
@Singleton
public class NodeIdentity {
    private final String id = Secrets.nodeId();
    private final AtomicLong connections = new AtomicLong();

    public String id() {
        return id;
    }

    /** A name for a new connection on this node: {@code <node id>/<number>}. */
    public String nextConnection() {
        return id + "/" + Long.toString(connections.incrementAndGet(), 36);
    }

    /** Whether {@code connection} was named by the node {@code nodeId}. */
    public static boolean isOn(String connection, String nodeId) {
        return connection != null && connection.length() > nodeId.length() && connection.startsWith(nodeId)
                && connection.charAt(nodeId.length()) == '/';
    }
}

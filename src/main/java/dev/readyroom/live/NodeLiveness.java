package dev.readyroom.live;

import io.smallrye.mutiny.Uni;

/**
 * Tells when a node died without stopping (killed, its machine lost), so the participants it held
 * online can be shown away: a node that stops in order does that itself. Standalone there is one
 * node, and nothing to tell.
 */
public interface NodeLiveness {

    interface Listener {
        /** The node {@code nodeId} died; it had members in {@code roomId}. Done when they are shown away. */
        Uni<Void> nodeGone(String nodeId, String roomId);

        /**
         * The other nodes gave this one up for dead (it was paused, or cut off from Redis, for longer
         * than its lease) and showed its participants away: they must connect again to be back.
         */
        void givenUpForDead();
    }

    void listen(Listener listener);

    /** One node: nobody else to watch, nobody to watch it. */
    NodeLiveness NONE = listener -> {
    };
}

package dev.readyroom.live;

import dev.readyroom.domain.EventType;

/**
 * An event as every member of the room receives it: serialized once, by the node that committed
 * it, and forwarded as the same text everywhere else. {@code membership} says whose connection the
 * event concerns, for the events that open or end one (null for every other event), so a node
 * never reads the JSON back to learn it.
 */
public record PublishedEvent(String roomId, String epoch, long version, EventType type, String json,
        Membership membership) {

    public PublishedEvent(String roomId, String epoch, long version, EventType type, String json) {
        this(roomId, epoch, version, type, json, null);
    }

    /** A participant came online, went away, left or was removed. */
    public record Membership(String participantId, Change change) {
    }

    public enum Change {
        ONLINE, AWAY, LEFT, REMOVED
    }
}

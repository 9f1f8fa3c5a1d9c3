package dev.readyroom.live;

/**
 * An event as every member of the room receives it: serialized once, by the node that committed
 * it, and forwarded as the same text everywhere else.
 */
public record PublishedEvent(String roomId, String epoch, long version, String type, String json) {
}

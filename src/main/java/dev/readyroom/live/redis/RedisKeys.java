package dev.readyroom.live.redis;

import java.util.List;

/**
 * Every Redis key, stream and channel of Ready Room. A room's keys share the hash tag
 * {@code {roomId}}, so that one script can touch them all, even on a Redis Cluster.
 *
 * <pre>
 * rr:{roomId}:room          hash: state (JSON without the backlog, hidden votes included),
 *                           items (the backlog's JSON), itemsAt (version that last changed it),
 *                           version, epoch; a deleted room's tombstone state until its idle expiry
 * rr:{roomId}:events        stream of the room's recent public events, entry id {@code <version>-0}
 * rr:{roomId}:replies       hash of command replies by opKey
 * rr:{roomId}:replies:old   the previous replies hash, rotated out when it grew too large
 * rr:room:{roomId}          pub/sub channel of the room's events (single Redis)
 * rr:{roomId}:channel       sharded pub/sub channel of the room's events (Redis Cluster)
 * readyroom:outbox          stream of entries for the durable record, read by group "record" (single Redis)
 * readyroom:outbox:{tag}    on Redis Cluster, one such stream per hash slot, in the slot of its rooms
 * readyroom:outbox:{tag}:listed  marker: the slot's stream is in readyroom:outbox:streams
 * readyroom:outbox:streams  set of the slots' outbox streams, for the consumers to find them
 * rr:nodes                  sorted set: node id by the Redis time its lease ends
 * rr:node:{nodeId}:rooms    set of the rooms a node has members in
 * rr:node:{nodeId}:taken    marker left for a node given up for dead
 * rr:node:{nodeId}          pub/sub channel of a node's heartbeat to itself; also its probe key
 * </pre>
 */
final class RedisKeys {
    static final String CHANNEL_PREFIX = "rr:room:";
    static final String OUTBOX = "readyroom:outbox";
    static final String OUTBOX_GROUP = "record";
    static final String NODES = "rr:nodes";
    static final String OUTBOX_STREAMS = "readyroom:outbox:streams";

    private RedisKeys() {
    }

    static String room(String roomId) {
        return "rr:{" + roomId + "}:room";
    }

    static String events(String roomId) {
        return "rr:{" + roomId + "}:events";
    }

    static String replies(String roomId) {
        return "rr:{" + roomId + "}:replies";
    }

    static String oldReplies(String roomId) {
        return "rr:{" + roomId + "}:replies:old";
    }

    /** A room's keys in the order the commit script takes them (KEYS[1..4]). */
    static List<String> all(String roomId) {
        return List.of(room(roomId), events(roomId), replies(roomId), oldReplies(roomId));
    }

    static String channel(String roomId) {
        return CHANNEL_PREFIX + roomId;
    }

    /** On Redis Cluster: a channel in the room's slot, so the commit script can SPUBLISH to it. */
    static String shardChannel(String roomId) {
        return "rr:{" + roomId + "}:channel";
    }

    /** The room a sharded channel is of, or null for another channel. */
    static String roomOfShardChannel(String channel) {
        return channel.startsWith("rr:{") && channel.endsWith("}:channel")
                ? channel.substring(4, channel.length() - "}:channel".length()) : null;
    }

    /** On Redis Cluster: the outbox stream of the room's hash slot. */
    static String slotOutbox(String roomId) {
        return OUTBOX + ":{" + RedisSlots.tag(RedisSlots.of(roomId)) + "}";
    }

    /** The marker that the slot's outbox stream is listed in {@link #OUTBOX_STREAMS}. */
    static String listed(String slotOutbox) {
        return slotOutbox + ":listed";
    }

    static String node(String nodeId) {
        return "rr:node:" + nodeId;
    }

    static String nodeRooms(String nodeId) {
        return node(nodeId) + ":rooms";
    }

    static String nodeTaken(String nodeId) {
        return node(nodeId) + ":taken";
    }
}

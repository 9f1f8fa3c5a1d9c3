package dev.readyroom.live.redis;

import java.util.List;

/**
 * Where a room lives in Redis. Every key of a room shares the hash tag {@code {roomId}} so that
 * one script can touch them all, even on a Redis Cluster.
 */
final class RedisKeys {
    static final String CHANNEL_PREFIX = "rr:room:";

    private RedisKeys() {
    }

    /** Hash: {@code state} (JSON, hidden votes included), {@code version}, {@code epoch}. */
    static String room(String roomId) {
        return "rr:{" + roomId + "}:room";
    }

    /** Stream of the room's recent public events, entry id {@code <version>-0}. */
    static String events(String roomId) {
        return "rr:{" + roomId + "}:events";
    }

    /** Hash of command replies by opKey; rotated into {@code replies:old} when it grows too large. */
    static String replies(String roomId) {
        return "rr:{" + roomId + "}:replies";
    }

    static String oldReplies(String roomId) {
        return "rr:{" + roomId + "}:replies:old";
    }

    static List<String> all(String roomId) {
        return List.of(room(roomId), events(roomId), replies(roomId), oldReplies(roomId));
    }

    static String channel(String roomId) {
        return CHANNEL_PREFIX + roomId;
    }
}

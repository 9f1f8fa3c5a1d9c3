package dev.readyroom.live.redis;

import io.vertx.mutiny.redis.client.Response;

/**
 * What {@link RedisScripts#COMMIT}, {@link RedisScripts#REPLY_OR_ROOM} and
 * {@link RedisScripts#REMEMBER_IF_CURRENT} answer, told apart by the
 * tag each reply starts with.
 */
sealed interface ScriptReply {

    /**
     * The change is stored at {@code version}; {@code unlisted}: its record entry went to a slot's
     * outbox stream that the consumers may not know yet.
     */
    record Committed(long version, boolean unlisted) implements ScriptReply {
    }

    /** A refusal is kept under its opKey: the room was as the node's copy had it. */
    record Remembered() implements ScriptReply {
    }

    /** The command's opKey was answered already: {@code reply} is the original answer. */
    record Answered(String reply) implements ScriptReply {
    }

    /** The room is at the epoch and version the node holds: nothing else was sent. */
    record Current(Response epoch, Response version) implements ScriptReply {
    }

    /**
     * The room as Redis has it; {@code items} is null when the node holds that backlog version
     * ({@code itemsAt}) of that epoch already, and {@code itemsAt} null for a room an older node
     * stored whole.
     */
    record Room(Response epoch, Response version, Response state, Response itemsAt, Response items)
            implements ScriptReply {
    }

    /** Redis does not have the room. */
    record Gone() implements ScriptReply {
    }

    static ScriptReply parse(Response reply) {
        String tag = reply.get(0).toString();
        return switch (tag) {
            case "committed" -> new Committed(reply.get(1).toLong(), reply.size() > 2 && reply.get(2).toLong() == 1);
            case "answered" -> new Answered(reply.get(1).toString());
            case "current" -> new Current(reply.get(1), reply.get(2));
            case "room" -> new Room(reply.get(1), reply.get(2), reply.get(3), reply.get(4), reply.get(5));
            case "gone" -> new Gone();
            case "remembered" -> new Remembered();
            default -> throw new IllegalStateException("Not a reply of Ready Room's scripts: " + tag);
        };
    }
}

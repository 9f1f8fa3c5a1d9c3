package dev.readyroom.live.redis;

import dev.readyroom.live.KeptPerRoom;

/**
 * What {@link RedisScripts#COMMIT} is asked to store, by name. {@link #argv} lays it out as the
 * script's ARGV, in the order the script reads it; the keys are the room's ({@link RedisKeys#all}).
 *
 * @param epoch the epoch the change was decided in
 * @param expectedVersion the version it was decided on: the script commits only at that version
 * @param head the room's state without its backlog, as JSON
 * @param packedEvent the event as other nodes receive it ({@link EventCodec})
 * @param opKey where the reply is kept for retries, or null for a command without an id
 * @param reply the reply to keep under {@code opKey}
 * @param recorded whether the event goes to the record's outbox stream as well
 * @param eventType the event's wire type, for the outbox entry
 * @param eventJson the event's JSON, for the outbox entry
 * @param items the backlog as JSON, or null when the change left it as Redis has it
 * @param knownItemsAt the backlog version this node holds (-1 for none): on a conflict the script
 *     sends the backlog back only if it is another
 */
record CommitRequest(String roomId, String epoch, long expectedVersion, byte[] head, String packedEvent,
        String opKey, String reply, boolean recorded, String eventType, String eventJson, byte[] items,
        long knownItemsAt) {

    /** How long the room's keys live after this change, and how many events and replies it keeps. */
    record Retention(long ttlSeconds, KeptPerRoom kept) {
    }

    Object[] argv(Retention retention, RedisLayout layout) {
        return new Object[] {
            epoch,                                          // 1
            Long.toString(expectedVersion),                 // 2
            head,                                           // 3
            packedEvent,                                    // 4
            layout.channel(roomId),                         // 5
            opKey == null ? "" : opKey,                     // 6
            reply == null ? "" : reply,                     // 7
            Long.toString(retention.ttlSeconds()),          // 8
            Integer.toString(retention.kept().events()),    // 9
            Integer.toString(retention.kept().replies()),   // 10
            recorded ? layout.outbox(roomId) : "",          // 11
            roomId,                                         // 12
            eventType,                                      // 13
            eventJson,                                      // 14
            items == null ? "" : items,                     // 15
            knownItemsAt < 0 ? "" : Long.toString(knownItemsAt), // 16
            Long.toString(retention.kept().eventBytes()),   // 17
            Long.toString(retention.kept().replyBytes()),   // 18
            layout.sharded() ? "SPUBLISH" : "PUBLISH",      // 19
            recorded && layout.sharded() ? RedisKeys.listed(layout.outbox(roomId)) : "", // 20
            layout.sharded() ? "1" : "",                    // 21: restart the epoch on another history
            layout.waitReplicas() > 0 ? "1" : "",           // 22: a retry's answer is waited for too
        };
    }
}

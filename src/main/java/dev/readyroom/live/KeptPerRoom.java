package dev.readyroom.live;

import dev.readyroom.config.ReadyRoomConfig;

/**
 * What a store keeps of each room besides its state: the last events, for clients that resume,
 * and the last replies, for commands retried with their opId; each bounded in count and in bytes.
 */
public record KeptPerRoom(int events, long eventBytes, int replies, long replyBytes) {

    public static KeptPerRoom of(ReadyRoomConfig.Live live) {
        return new KeptPerRoom(live.keptEvents(), live.keptEventsBytes(), live.keptReplies(), live.keptRepliesBytes());
    }
}

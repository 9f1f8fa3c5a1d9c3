package dev.readyroom.live.redis;

import java.time.Duration;

/**
 * What kind of Redis the nodes share. {@code sharded}: a Redis Cluster, where a script touches one
 * hash slot only, so each room's events go out on a sharded channel in the room's slot and its
 * record entries to its slot's outbox stream. {@code waitReplicas}: replicas that must hold a
 * change before it is acknowledged (0: none).
 */
record RedisLayout(boolean sharded, int waitReplicas, Duration waitTimeout) {
    static final RedisLayout SINGLE = new RedisLayout(false, 0, Duration.ZERO);

    String channel(String roomId) {
        return sharded ? RedisKeys.shardChannel(roomId) : RedisKeys.channel(roomId);
    }

    String outbox(String roomId) {
        return sharded ? RedisKeys.slotOutbox(roomId) : RedisKeys.OUTBOX;
    }
}

package dev.readyroom.live.redis;

import dev.readyroom.domain.RoomState;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.StoredRoom;
import dev.readyroom.record.RecordEntries;
import dev.readyroom.record.RedisStreamRecordOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The cluster store: each room's state, version and epoch in a Redis hash, its recent events in a
 * stream, command replies in a hash, all expiring after the room's idle time. A change is one Lua
 * script (compare the version, store, append, publish), so it is all or nothing.
 */
public class RedisRoomStore implements RoomStore {
    private static final Logger LOG = Logger.getLogger(RedisRoomStore.class);

    private final Redis redis;
    private final StateCodec states = new StateCodec();
    private final RecentRooms recent = new RecentRooms(1024);
    private final long ttlSeconds;
    private final int keptEvents;
    private final int keptReplies;
    private final Duration idleExpiry;
    private final Clock clock;

    public RedisRoomStore(Redis redis, Duration idleExpiry, int keptEvents, int keptReplies, Clock clock) {
        this.redis = redis;
        this.idleExpiry = idleExpiry;
        this.ttlSeconds = Math.max(1, idleExpiry.toSeconds());
        this.keptEvents = keptEvents;
        this.keptReplies = keptReplies;
        this.clock = clock;
    }

    @Override
    public Uni<Boolean> create(RoomState state, String epoch) {
        return script(RedisScripts.CREATE, state.id(), epoch, Long.toString(state.version()), states.write(state),
                Long.toString(ttlSeconds))
                .map(response -> {
                    boolean created = response.toLong() == 1;
                    if (created) {
                        recent.put(new StoredRoom(state, epoch), clock.millis());
                    }
                    return created;
                });
    }

    @Override
    public Uni<StoredRoom> load(String roomId) {
        return read(roomId).flatMap(room -> room != null ? Uni.createFrom().item(room) : rebuild(roomId));
    }

    @Override
    public Uni<ReplyOrRoom> replyOrRoom(String roomId, String opKey) {
        RecentRooms.Seen seen = recent.get(roomId);
        String knownEpoch = seen == null ? "" : seen.room().epoch();
        String knownVersion = seen == null ? "" : Long.toString(seen.room().state().version());
        return script(RedisScripts.REPLY_OR_ROOM, roomId, opKey, knownEpoch, knownVersion).flatMap(response -> {
            if (response.get(0) != null) {
                return Uni.createFrom().item(new ReplyOrRoom(response.get(0).toString(), null));
            }
            Uni<StoredRoom> room;
            Response epoch = response.get(1);
            Response stateField = response.size() > 3 ? response.get(3) : null;
            RecentRooms.Seen now = recent.get(roomId);
            if (epoch == null) {
                room = rebuild(roomId);
            } else if (stateField == null && !holds(now, epoch, response.get(2))) {
                // The state was left out as known here, and this node's copy changed since it asked.
                room = load(roomId);
            } else {
                room = Uni.createFrom().item(storedRoom(now, epoch, response.get(2), stateField));
            }
            return room.map(found -> new ReplyOrRoom(null, found));
        });
    }

    private Uni<StoredRoom> read(String roomId) {
        Request hmget = Request.cmd(Command.HMGET).arg(RedisKeys.room(roomId)).arg("epoch").arg("version").arg("state");
        return redis.send(hmget).map(response -> response == null || response.get(0) == null ? null
                : storedRoom(recent.get(roomId), response.get(0), response.get(1), response.get(2)));
    }

    /** The room from its hash fields; the state is parsed only when this node's copy is not the same. */
    private StoredRoom storedRoom(RecentRooms.Seen seen, Response epochField, Response versionField,
            Response stateField) {
        StoredRoom room = holds(seen, epochField, versionField) ? seen.room()
                : new StoredRoom(states.read(stateField.toBytes()), epochField.toString());
        recent.put(room, clock.millis());
        return room;
    }

    /** True when this node's copy of the room is at that epoch and version. */
    private static boolean holds(RecentRooms.Seen seen, Response epochField, Response versionField) {
        return seen != null && seen.room().epoch().equals(epochField.toString())
                && seen.room().state().version() == versionField.toLong();
    }

    /**
     * Redis lost a room this node served lately (it restarted empty, or was flushed): bring the room
     * back from this node's last view of it under a new epoch, so every client starts over from a
     * snapshot. If another node rebuilt it first, its version wins.
     */
    private Uni<StoredRoom> rebuild(String roomId) {
        RecentRooms.Seen seen = recent.get(roomId);
        if (seen == null || clock.millis() - seen.atMillis() > idleExpiry.toMillis()) {
            return Uni.createFrom().nullItem();
        }
        String epoch = Secrets.epoch();
        RoomState state = seen.room().state();
        return create(state, epoch).flatMap(created -> {
            if (created) {
                LOG.warnf("Redis lost room %s; rebuilt it at version %d from this node's memory under epoch %s",
                        roomId, state.version(), epoch);
                return Uni.createFrom().item(new StoredRoom(state, epoch));
            }
            return read(roomId);
        });
    }

    @Override
    public Uni<Boolean> commit(long expectedVersion, RoomState next, PublishedEvent event, String opKey,
            String reply) {
        return commitScript(expectedVersion, next, event, opKey, reply).map(response -> committed(response, next, event));
    }

    @Override
    public StoredRoom cached(String roomId) {
        RecentRooms.Seen seen = recent.get(roomId);
        return seen == null ? null : seen.room();
    }

    @Override
    public Uni<CommitAttempt> commitUnlessAnswered(long expectedVersion, RoomState next, PublishedEvent event,
            String opKey, String reply) {
        return commitScript(expectedVersion, next, event, opKey, reply).flatMap(response -> {
            if (committed(response, next, event)) {
                return Uni.createFrom().item(CommitAttempt.COMMITTED);
            }
            if (response.size() == 2) {
                return Uni.createFrom().item(new CommitAttempt(false, new ReplyOrRoom(response.get(1).toString(), null)));
            }
            if (response.size() == 5) {
                StoredRoom now = storedRoom(recent.get(next.id()), response.get(2), response.get(3), response.get(4));
                return Uni.createFrom().item(new CommitAttempt(false, new ReplyOrRoom(null, now)));
            }
            // Gone from Redis: the read brings it back from this node's memory, if it can.
            return replyOrRoom(next.id(), opKey).map(found -> new CommitAttempt(false, found));
        });
    }

    private Uni<Response> commitScript(long expectedVersion, RoomState next, PublishedEvent event, String opKey,
            String reply) {
        return script(RedisScripts.COMMIT, next.id(), event.epoch(), Long.toString(expectedVersion),
                states.write(next), EventCodec.encode(event), RedisKeys.channel(next.id()),
                opKey == null ? "" : opKey, reply == null ? "" : reply, Long.toString(ttlSeconds),
                Integer.toString(keptEvents), Integer.toString(keptReplies),
                RecordEntries.matters(event.type()) ? RedisStreamRecordOutbox.STREAM : "", next.id(), event.type(),
                event.json());
    }

    private boolean committed(Response response, RoomState next, PublishedEvent event) {
        boolean committed = response.get(0).toLong() > 0;
        if (committed) {
            recent.put(new StoredRoom(next, event.epoch()), clock.millis());
        }
        return committed;
    }

    @Override
    public Uni<List<PublishedEvent>> eventsAfter(String roomId, String epoch, long version) {
        return script(RedisScripts.EVENTS_AFTER, roomId, epoch, Long.toString(version), Integer.toString(keptEvents))
                .map(response -> {
                    if (response == null) {
                        return null;
                    }
                    List<PublishedEvent> events = new ArrayList<>(response.size());
                    for (int i = 0; i < response.size(); i++) {
                        events.add(EventCodec.decode(roomId, response.get(i).toString()));
                    }
                    return events;
                });
    }

    @Override
    public Uni<Void> rememberReply(String roomId, String opKey, String reply) {
        return script(RedisScripts.REMEMBER, roomId, opKey, reply, Long.toString(ttlSeconds),
                Integer.toString(keptReplies)).replaceWithVoid();
    }

    /** Rooms this node served lately: Redis holds the rest, and its own memory policy applies. */
    @Override
    public long roomCount() {
        return recent.size();
    }

    /** Writes a short-lived key: fails or hangs while Redis cannot take writes. */
    public Uni<Void> probe(String nodeId) {
        return redis.send(Request.cmd(Command.SET).arg("rr:node:" + nodeId).arg("1").arg("PX").arg(10_000))
                .replaceWithVoid();
    }

    /**
     * Runs a script by its SHA-1; when Redis does not have it (it restarted, or its scripts were
     * flushed), by its text, which loads it again.
     */
    private Uni<Response> script(RedisScripts.Script script, String roomId, Object... args) {
        return redis.send(call(Command.EVALSHA, script.sha1(), roomId, args))
                .onFailure(RedisRoomStore::scriptMissing)
                .recoverWithUni(() -> redis.send(call(Command.EVAL, script.body(), roomId, args)));
    }

    /** Arguments are strings, or bytes (a room's state, serialized straight to UTF-8). */
    private static Request call(Command command, String script, String roomId, Object... args) {
        List<String> keys = RedisKeys.all(roomId);
        Request call = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(call::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                call.arg(bytes);
            } else {
                call.arg((String) arg);
            }
        }
        return call;
    }

    private static boolean scriptMissing(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }
}

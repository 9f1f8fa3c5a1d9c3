package dev.readyroom.live.redis;

import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.KeptPerRoom;
import dev.readyroom.live.LiveStoreUnavailableException;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.StoredRoom;
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
    private final KeptPerRoom kept;
    private final CommitRequest.Retention retention;
    private final Duration idleExpiry;
    private final Clock clock;

    /** Told of each record entry a commit wrote to a slot's outbox stream (Redis Cluster). */
    interface OutboxWritten {
        OutboxWritten NOBODY = (stream, unlisted) -> {
        };

        /** {@code unlisted}: the stream is not yet listed for the consumers to find. */
        void written(String stream, boolean unlisted);
    }

    private final RedisLayout layout;
    private final OutboxWritten outboxWritten;

    public RedisRoomStore(Redis redis, Duration idleExpiry, KeptPerRoom kept, Clock clock) {
        this(redis, idleExpiry, kept, clock, RedisLayout.SINGLE, OutboxWritten.NOBODY);
    }

    RedisRoomStore(Redis redis, Duration idleExpiry, KeptPerRoom kept, Clock clock, RedisLayout layout,
            OutboxWritten outboxWritten) {
        this.layout = layout;
        this.outboxWritten = outboxWritten;
        this.redis = redis;
        this.idleExpiry = idleExpiry;
        this.ttlSeconds = Math.max(1, idleExpiry.toSeconds());
        this.kept = kept;
        this.retention = new CommitRequest.Retention(ttlSeconds, kept);
        this.clock = clock;
    }

    @Override
    public Uni<Boolean> create(RoomState state, String epoch) {
        return script(RedisScripts.CREATE, state.id(), epoch, Long.toString(state.version()), states.writeHead(state),
                Long.toString(ttlSeconds), states.writeItems(state.items()))
                .map(response -> {
                    boolean created = response.toLong() == 1;
                    if (created) {
                        recent.put(new StoredRoom(state, epoch), state.version(), clock.millis());
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
        String knownItemsAt = seen == null || seen.itemsAt() < 0 ? "" : Long.toString(seen.itemsAt());
        return script(RedisScripts.REPLY_OR_ROOM, roomId, opKey, knownEpoch, knownVersion, knownItemsAt)
                .flatMap(response -> {
                    ScriptReply reply = ScriptReply.parse(response);
                    if (reply instanceof ScriptReply.Answered answered) {
                        return Uni.createFrom().item(new ReplyOrRoom(answered.reply(), null));
                    }
                    if (reply instanceof ScriptReply.Gone) {
                        return rebuild(roomId).map(found -> new ReplyOrRoom(null, found));
                    }
                    StoredRoom room = reply instanceof ScriptReply.Current current
                            ? storedRoom(recent.get(roomId), current.epoch(), current.version(), null, null, null)
                            : storedRoom(recent.get(roomId), (ScriptReply.Room) reply);
                    // A part was left out as known here, and this node's copy changed since it asked.
                    return (room != null ? Uni.createFrom().item(room) : load(roomId))
                            .map(found -> new ReplyOrRoom(null, found));
                });
    }

    private Uni<StoredRoom> read(String roomId) {
        Request hmget = Request.cmd(Command.HMGET).arg(RedisKeys.room(roomId)).arg("epoch").arg("version").arg("state")
                .arg("itemsAt").arg("items");
        return redis.send(hmget).map(response -> response == null || response.get(0) == null ? null
                : storedRoom(recent.get(roomId), response.get(0), response.get(1), response.get(2), response.get(3),
                        response.get(4)));
    }

    private StoredRoom storedRoom(RecentRooms.Seen seen, ScriptReply.Room room) {
        return storedRoom(seen, room.epoch(), room.version(), room.state(), room.itemsAt(), room.items());
    }

    /**
     * The room from its hash fields. Each part is parsed only when this node's copy of it is not the
     * same: the state (without the backlog) when the version moved, the backlog when its own version
     * did. Null when a part was left out as known here but this node's copy has changed since.
     */
    private StoredRoom storedRoom(RecentRooms.Seen seen, Response epochField, Response versionField,
            Response stateField, Response itemsAtField, Response itemsField) {
        StoredRoom room;
        long itemsAt;
        String epoch = epochField.toString();
        if (holds(seen, epochField, versionField)) {
            room = seen.room();
            itemsAt = seen.itemsAt();
        } else if (stateField == null) {
            return null;
        } else {
            RoomState head = states.readHead(stateField.toBytes());
            // No backlog version: the room was stored whole, its backlog in the state (an older node).
            itemsAt = itemsAtField == null ? -1 : itemsAtField.toLong();
            List<BacklogItem> items;
            if (itemsAtField == null) {
                items = head.items();
            } else if (itemsField != null) {
                items = states.readItems(itemsField.toBytes());
            } else if (seen != null && seen.room().epoch().equals(epoch) && seen.itemsAt() == itemsAt) {
                items = seen.room().state().items();
            } else {
                return null;
            }
            room = new StoredRoom(StateCodec.withItems(head, items), epoch);
        }
        recent.put(room, itemsAt, clock.millis());
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
        RecentRooms.Seen seen = recent.get(next.id());
        return commitScript(seen, expectedVersion, next, event, opKey, reply)
                .map(outcome -> committed(outcome, seen, next, event));
    }

    @Override
    public StoredRoom cached(String roomId) {
        RecentRooms.Seen seen = recent.get(roomId);
        return seen == null ? null : seen.room();
    }

    @Override
    public Uni<CommitAttempt> commitUnlessAnswered(long expectedVersion, RoomState next, PublishedEvent event,
            String opKey, String reply) {
        RecentRooms.Seen seen = recent.get(next.id());
        return commitScript(seen, expectedVersion, next, event, opKey, reply).flatMap(outcome ->
                committed(outcome, seen, next, event) ? Uni.createFrom().item(CommitAttempt.COMMITTED)
                        : notDone(outcome, next.id(), opKey));
    }

    @Override
    public Uni<CommitAttempt> rememberUnlessChanged(StoredRoom copy, String opKey, String reply) {
        String roomId = copy.state().id();
        RecentRooms.Seen seen = recent.get(roomId);
        String knownItemsAt = seen != null && seen.itemsAt() >= 0 && seen.room().epoch().equals(copy.epoch())
                ? Long.toString(seen.itemsAt()) : "";
        return script(RedisScripts.REMEMBER_IF_CURRENT, roomId, opKey, reply, Long.toString(ttlSeconds),
                Integer.toString(kept.replies()), Long.toString(kept.replyBytes()), copy.epoch(),
                Long.toString(copy.state().version()), knownItemsAt)
                .map(ScriptReply::parse)
                .flatMap(outcome -> outcome instanceof ScriptReply.Remembered
                        ? Uni.createFrom().item(CommitAttempt.COMMITTED) : notDone(outcome, roomId, opKey));
    }

    /** What a script that did not commit (or remember) found instead: the reply, or the room as it is. */
    private Uni<CommitAttempt> notDone(ScriptReply outcome, String roomId, String opKey) {
        if (outcome instanceof ScriptReply.Answered answered) {
            return Uni.createFrom().item(new CommitAttempt(false, new ReplyOrRoom(answered.reply(), null)));
        }
        if (outcome instanceof ScriptReply.Room room) {
            StoredRoom now = storedRoom(recent.get(roomId), room);
            return (now != null ? Uni.createFrom().item(now) : load(roomId))
                    .map(found -> new CommitAttempt(false, new ReplyOrRoom(null, found)));
        }
        // Gone from Redis: the read brings it back from this node's memory, if it can.
        Uni<ReplyOrRoom> found = opKey == null ? load(roomId).map(room -> new ReplyOrRoom(null, room))
                : replyOrRoom(roomId, opKey);
        return found.map(again -> new CommitAttempt(false, again));
    }

    /** {@code seen}: this node's copy when the change was decided, which tells whether the backlog changed. */
    private Uni<ScriptReply> commitScript(RecentRooms.Seen seen, long expectedVersion, RoomState next,
            PublishedEvent event, String opKey, String reply) {
        byte[] items = backlogUnchanged(seen, expectedVersion, next, event) ? null : states.writeItems(next.items());
        long knownItemsAt = seen != null && seen.room().epoch().equals(event.epoch()) ? seen.itemsAt() : -1;
        CommitRequest request = new CommitRequest(next.id(), event.epoch(), expectedVersion, states.writeHead(next),
                EventCodec.encode(event), opKey, reply, RecordOutbox.records(event.type()), event.type().wireName(),
                event.json(), items, knownItemsAt);
        Object[] argv = request.argv(retention, layout);
        if (layout.waitReplicas() <= 0) {
            return script(RedisScripts.COMMIT, next.id(), argv).map(ScriptReply::parse);
        }
        return RedisScripts.runAndWait(redis, RedisScripts.COMMIT, RedisKeys.all(next.id()), layout.waitReplicas(),
                layout.waitTimeout().toMillis(), argv).map(waited -> {
                    ScriptReply outcome = ScriptReply.parse(waited.reply());
                    if ((outcome instanceof ScriptReply.Committed || outcome instanceof ScriptReply.Answered)
                            && waited.replicas() < layout.waitReplicas()) {
                        // On the master only: not acknowledged (yet); the retry gets the kept reply.
                        throw new LiveStoreUnavailableException("The change reached " + waited.replicas()
                                + " of " + layout.waitReplicas() + " replicas in time", null);
                    }
                    return outcome;
                });
    }

    /**
     * The change kept the backlog of the version it was decided on (the same immutable list), and
     * Redis stores that backlog apart already: it is not sent again.
     */
    private static boolean backlogUnchanged(RecentRooms.Seen seen, long expectedVersion, RoomState next,
            PublishedEvent event) {
        return seen != null && seen.itemsAt() >= 0 && seen.room().epoch().equals(event.epoch())
                && seen.room().state().version() == expectedVersion && seen.room().state().items() == next.items();
    }

    private boolean committed(ScriptReply outcome, RecentRooms.Seen seen, RoomState next, PublishedEvent event) {
        if (!(outcome instanceof ScriptReply.Committed committed)) {
            return false;
        }
        if (layout.sharded() && RecordOutbox.records(event.type())) {
            outboxWritten.written(layout.outbox(next.id()), committed.unlisted());
        }
        long version = committed.version();
        long itemsAt = backlogUnchanged(seen, version - 1, next, event) ? seen.itemsAt() : version;
        recent.put(new StoredRoom(next, event.epoch()), itemsAt, clock.millis());
        return true;
    }

    @Override
    public Uni<List<PublishedEvent>> eventsAfter(String roomId, String epoch, long version) {
        return script(RedisScripts.EVENTS_AFTER, roomId, epoch, Long.toString(version), Integer.toString(kept.events()))
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

    /** The room hash keeps the tombstone state until its idle expiry; its events and replies go now. */
    @Override
    public Uni<Void> forget(String roomId) {
        return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.events(roomId)).arg(RedisKeys.replies(roomId))
                .arg(RedisKeys.oldReplies(roomId))).replaceWithVoid();
    }

    @Override
    public Uni<Void> rememberReply(String roomId, String opKey, String reply) {
        return script(RedisScripts.REMEMBER, roomId, opKey, reply, Long.toString(ttlSeconds),
                Integer.toString(kept.replies()), Long.toString(kept.replyBytes())).replaceWithVoid();
    }

    /** Rooms this node served lately: Redis holds the rest, and its own memory policy applies. */
    @Override
    public long roomCount() {
        return recent.size();
    }

    /** Writes a short-lived key: fails or hangs while Redis cannot take writes. */
    public Uni<Void> probe(String nodeId) {
        return redis.send(Request.cmd(Command.SET).arg(RedisKeys.node(nodeId)).arg("1").arg("PX").arg(10_000))
                .replaceWithVoid();
    }

    private Uni<Response> script(RedisScripts.Script script, String roomId, Object... args) {
        return RedisScripts.run(redis, script, RedisKeys.all(roomId), args);
    }
}

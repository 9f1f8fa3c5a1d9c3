package dev.readyroom.live;

import dev.readyroom.domain.RoomState;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Where the authoritative current state of each room lives. Standalone: memory. Cluster: Redis.
 * Domain logic never runs here; the store only compares versions and swaps states.
 */
public interface RoomStore {

    /** Stores a new room; false if the id is taken. */
    Uni<Boolean> create(RoomState state, String epoch);

    /** The room, or null if unknown. */
    Uni<StoredRoom> load(String roomId);

    /**
     * Stores {@code next} if the room is still at {@code expectedVersion}, keeps the event for
     * resume, remembers {@code reply} under {@code opKey} (when given), and publishes the event on
     * the bus, all at once. Returns false on a version conflict.
     */
    Uni<Boolean> commit(long expectedVersion, RoomState next, PublishedEvent event, String opKey, String reply);

    /** The events after {@code version} in {@code epoch}, oldest first; null if they are no longer kept. */
    Uni<List<PublishedEvent>> eventsAfter(String roomId, String epoch, long version);

    /** What a command with an id starts from: the reply remembered for it, or else the room. */
    record ReplyOrRoom(String reply, StoredRoom room) {
    }

    /**
     * The reply remembered for {@code opKey} if the command was answered already, else the room
     * (null if unknown), as {@link #load} gives it; a store on the network answers both in one
     * round trip.
     */
    Uni<ReplyOrRoom> replyOrRoom(String roomId, String opKey);

    /**
     * This node's latest copy of the room, if the store keeps one: a guess to decide a command on,
     * which may be behind the store. Null when there is none.
     */
    default StoredRoom cached(String roomId) {
        return null;
    }

    /** What {@link #commitUnlessAnswered} did: committed, or else what it found instead. */
    record CommitAttempt(boolean committed, ReplyOrRoom found) {
        public static final CommitAttempt COMMITTED = new CommitAttempt(true, null);
    }

    /**
     * {@link #commit} for a command decided on a {@link #cached} copy: unless {@code opKey} was
     * answered already. When it does not commit (the command was answered, or the room is not at
     * {@code expectedVersion} in the event's epoch), it answers as {@link #replyOrRoom} would, so
     * the caller decides again without another read: on the network, one round trip in all. Only
     * asked of a store that keeps {@link #cached} copies.
     */
    default Uni<CommitAttempt> commitUnlessAnswered(long expectedVersion, RoomState next, PublishedEvent event,
            String opKey, String reply) {
        throw new UnsupportedOperationException("This store keeps no cached copies to commit on");
    }

    /**
     * Drops what is kept of a room that was deleted and erased from the record. A store in memory
     * forgets it; Redis keeps the tombstone state (nothing but its id, name and version) until the
     * room's idle expiry, so no node's recent copy can bring the room back, and drops the rest.
     */
    Uni<Void> forget(String roomId);

    /** Remembers the reply of a command that changed nothing (a rejection). */
    Uni<Void> rememberReply(String roomId, String opKey, String reply);

    /** How many rooms the store holds (for metrics, and the room cap of a store in memory). */
    long roomCount();

    /**
     * About how many bytes of this node's heap the rooms it holds take (state, kept events and
     * replies), or -1 for a store that holds them elsewhere (Redis, bounded by its own memory).
     */
    default long liveBytes() {
        return -1;
    }

    /**
     * Forgets up to {@code count} rooms that nobody is in and nobody changed for {@code idleAtLeast},
     * least recently changed first, to make way for others; returns how many. Their record stays:
     * opened again, they are rebuilt from it. A store that holds rooms elsewhere (Redis) forgets none.
     */
    default int makeWay(int count, Duration idleAtLeast) {
        return 0;
    }
}

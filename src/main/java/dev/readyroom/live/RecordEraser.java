package dev.readyroom.live;

import io.smallrye.mutiny.Uni;

/** Deletes a room from the durable record, everything of it, when its facilitator deletes the room. */
public interface RecordEraser {

    /**
     * Deletes the room and all its rows; nothing to do if the record does not hold it.
     *
     * @return fails if the record cannot be reached now: the room's {@code room.deleted} entry in
     *         the outbox deletes it once it can
     */
    Uni<Void> erase(String roomId);
}

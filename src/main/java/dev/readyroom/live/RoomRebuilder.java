package dev.readyroom.live;

import dev.readyroom.domain.RoomState;
import io.smallrye.mutiny.Uni;

/** Rebuilds a room the live store lost (a standalone restart, Redis lost it) from the durable record. */
public interface RoomRebuilder {

    /**
     * The room as the record knows it (its backlog and history, nobody in it, no open round), or
     * null if the record does not know it.
     *
     * @return fails with {@link LiveStoreUnavailableException} if the record cannot be read now
     */
    Uni<RoomState> restore(String roomId);
}

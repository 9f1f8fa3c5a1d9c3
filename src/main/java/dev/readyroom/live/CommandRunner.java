package dev.readyroom.live;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.RoomCommand;

/**
 * How this node decides and commits one command: chosen once, by the kind of store
 * ({@link RoomService}). Answers {@code reply} exactly once; a failure is always a
 * {@link LiveStoreUnavailableException}.
 */
interface CommandRunner {

    void run(String roomId, RoomCommand command, Actor actor, String opId, CommandReply reply);
}

package dev.readyroom.live;

import dev.readyroom.domain.RoomEvent;

/** What became of a command. {@code reply} is the exact message to send to the one who gave it. */
public sealed interface CommandOutcome {

    String reply();

    /** Committed at {@code room.state().version()}; {@code published} went to everyone in the room. */
    record Committed(StoredRoom room, RoomEvent event, PublishedEvent published, String reply)
            implements CommandOutcome {
    }

    /** Refused by the rules (or the room is unknown); nothing changed. */
    record Rejected(String code, String message, String reply) implements CommandOutcome {
    }

    /** A retried opId: the original reply, nothing applied again. */
    record Repeated(String reply) implements CommandOutcome {
    }
}

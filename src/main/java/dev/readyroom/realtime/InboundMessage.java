package dev.readyroom.realtime;

import dev.readyroom.domain.RoomCommand;

/** A parsed client message: a {@code join}, or a room command with its {@code opId}. */
public sealed interface InboundMessage {

    record Join(String name, String role, String facilitatorKey, Resume resume) implements InboundMessage {
    }

    record Resume(String token, String epoch, Long version) {
    }

    record Command(String opId, RoomCommand command) implements InboundMessage {
    }
}

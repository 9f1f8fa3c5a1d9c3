package dev.readyroom.domain;

/** The outcome of {@link RoomRules#decide}: one event to apply, or a rejection that changes nothing. */
public sealed interface Decision {

    record Accepted(RoomEvent event) implements Decision {
    }

    record Rejected(String code, String message) implements Decision {
    }

    static Decision accept(RoomEvent event) {
        return new Accepted(event);
    }

    static Decision reject(String code, String message) {
        return new Rejected(code, message);
    }
}

package dev.readyroom.domain;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code type} of every event about a room, as clients and the record read it. The one list of
 * these names: the wire, the record and the live stores all refer to it.
 */
public enum EventType {
    PARTICIPANT_JOINED("participant.joined"),
    PARTICIPANT_UPDATED("participant.updated"),
    PARTICIPANT_PRESENCE("participant.presence"),
    PARTICIPANT_LEFT("participant.left"),
    PARTICIPANT_READMITTED("participant.readmitted"),
    FACILITATOR_CHANGED("facilitator.changed"),
    SCRIBE_CHANGED("scribe.changed"),
    SETTINGS_CHANGED("settings.changed"),
    ITEM_ADDED("item.added"),
    ITEM_UPDATED("item.updated"),
    ITEM_REMOVED("item.removed"),
    ITEM_ESTIMATED("item.estimated"),
    ITEM_SPLIT("item.split"),
    ITEM_MOVED("item.moved"),
    ROUND_STARTED("round.started"),
    VOTE_CAST("vote.cast"),
    VOTE_WITHDRAWN("vote.withdrawn"),
    ROUND_REVEALED("round.revealed"),
    PREVOTE_CAST("prevote.cast"),
    PREVOTE_WITHDRAWN("prevote.withdrawn"),
    NOTE_ADDED("note.added"),
    TIMEBOX_STARTED("timebox.started"),
    TIMEBOX_STOPPED("timebox.stopped"),
    /** The facilitator deleted the room: its last event; every member is closed after it. */
    ROOM_DELETED("room.deleted"),
    /** A new room, for the record only: nobody is in the room yet to receive it. */
    ROOM_CREATED("room.created");

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException if no event has that type */
    public static EventType ofWireName(String wireName) {
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new IllegalArgumentException("Not an event type: " + wireName);
        }
        return type;
    }
}

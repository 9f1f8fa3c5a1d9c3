package dev.readyroom.domain;

import java.util.List;

/**
 * What happened to a room. Events are applied in order by {@link RoomRules#apply}. {@link VoteCast}
 * carries the hidden value for the state only: the wire encoding of events never includes it.
 */
public sealed interface RoomEvent {

    EventType type();

    /**
     * {@code succeeds}: the id of someone who left after their grace period and whose pre-votes
     * this newcomer takes over (they came back with the same browser's token), or null.
     */
    record ParticipantJoined(Participant participant, String succeeds) implements RoomEvent {
        public ParticipantJoined(Participant participant) {
            this(participant, null);
        }

        public EventType type() {
            return EventType.PARTICIPANT_JOINED;
        }
    }

    record ParticipantUpdated(Participant participant) implements RoomEvent {
        public EventType type() {
            return EventType.PARTICIPANT_UPDATED;
        }
    }

    /** Online on {@code connection}, or away (null). The connection stays in the state, never on the wire. */
    record PresenceChanged(String participantId, String connection) implements RoomEvent {
        public boolean online() {
            return connection != null;
        }

        public EventType type() {
            return EventType.PARTICIPANT_PRESENCE;
        }
    }

    enum LeaveReason {
        LEFT("left"), REMOVED("removed"), EXPIRED("expired");

        private final String wireName;

        LeaveReason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * {@code keptOut}: for a removal, whose token stays out and until when; else null.
     * {@code facilitatorId}: when the facilitator expired, who holds the role now; else null.
     */
    record ParticipantLeft(String participantId, LeaveReason reason, RoomState.KeptOut keptOut,
            String facilitatorId) implements RoomEvent {
        public ParticipantLeft(String participantId, LeaveReason reason) {
            this(participantId, reason, null, null);
        }

        public ParticipantLeft(String participantId, LeaveReason reason, RoomState.KeptOut keptOut) {
            this(participantId, reason, keptOut, null);
        }

        public EventType type() {
            return EventType.PARTICIPANT_LEFT;
        }
    }

    record ParticipantReadmitted(String participantId) implements RoomEvent {
        public EventType type() {
            return EventType.PARTICIPANT_READMITTED;
        }
    }

    /** How the facilitator role changed hands. */
    enum FacilitatorReason {
        /** The facilitator handed it over. */
        TRANSFER("transfer"),
        /** Someone presented the facilitator key. */
        CLAIM("claim");

        private final String wireName;

        FacilitatorReason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    record FacilitatorChanged(String participantId, FacilitatorReason reason) implements RoomEvent {
        public FacilitatorChanged(String participantId) {
            this(participantId, FacilitatorReason.TRANSFER);
        }

        public EventType type() {
            return EventType.FACILITATOR_CHANGED;
        }
    }

    record ScribeChanged(String participantId) implements RoomEvent {
        public EventType type() {
            return EventType.SCRIBE_CHANGED;
        }
    }

    /** Carries the hidden value for the state only, as {@link VoteCast} does. */
    record PreVoteCast(String itemId, String participantId, Vote vote) implements RoomEvent {
        public EventType type() {
            return EventType.PREVOTE_CAST;
        }
    }

    record PreVoteWithdrawn(String itemId, String participantId) implements RoomEvent {
        public EventType type() {
            return EventType.PREVOTE_WITHDRAWN;
        }
    }

    record NoteAdded(String itemId, Note note) implements RoomEvent {
        public EventType type() {
            return EventType.NOTE_ADDED;
        }
    }

    record TimeboxStarted(Timebox timebox) implements RoomEvent {
        public EventType type() {
            return EventType.TIMEBOX_STARTED;
        }
    }

    record TimeboxStopped() implements RoomEvent {
        public EventType type() {
            return EventType.TIMEBOX_STOPPED;
        }
    }

    record SettingsChanged(Settings settings) implements RoomEvent {
        public EventType type() {
            return EventType.SETTINGS_CHANGED;
        }
    }

    record ItemAdded(BacklogItem item) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_ADDED;
        }
    }

    record ItemUpdated(BacklogItem item) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_UPDATED;
        }
    }

    record ItemRemoved(String itemId) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_REMOVED;
        }
    }

    record RoundStarted(Round round) implements RoomEvent {
        public EventType type() {
            return EventType.ROUND_STARTED;
        }
    }

    record VoteCast(String participantId, Vote vote) implements RoomEvent {
        public EventType type() {
            return EventType.VOTE_CAST;
        }
    }

    record VoteWithdrawn(String participantId) implements RoomEvent {
        public EventType type() {
            return EventType.VOTE_WITHDRAWN;
        }
    }

    record RoundRevealed(Round round) implements RoomEvent {
        public EventType type() {
            return EventType.ROUND_REVEALED;
        }
    }

    record EstimateSettled(String itemId, String estimate) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_ESTIMATED;
        }
    }

    record ItemSplit(String parentId, List<BacklogItem> children) implements RoomEvent {
        public ItemSplit {
            children = List.copyOf(children);
        }

        public EventType type() {
            return EventType.ITEM_SPLIT;
        }
    }

    record ItemMoved(String itemId, int toIndex) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_MOVED;
        }
    }

    record FlagResolved(String itemId, Flag flag, String note) implements RoomEvent {
        public EventType type() {
            return EventType.ITEM_UPDATED;
        }
    }

    /** The room is deleted: what is left of it is a tombstone that refuses every command. */
    record RoomDeleted() implements RoomEvent {
        public EventType type() {
            return EventType.ROOM_DELETED;
        }
    }
}

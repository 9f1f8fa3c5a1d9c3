package dev.readyroom.domain;

/**
 * What happened to a room. Events are applied in order by {@link RoomRules#apply}. {@link VoteCast}
 * carries the hidden value for the state only: the wire encoding of events never includes it.
 */
public sealed interface RoomEvent {

    String type();

    record ParticipantJoined(Participant participant) implements RoomEvent {
        public String type() {
            return "participant.joined";
        }
    }

    record ParticipantUpdated(Participant participant) implements RoomEvent {
        public String type() {
            return "participant.updated";
        }
    }

    /** Online on {@code connection}, or away (null). The connection stays in the state, never on the wire. */
    record PresenceChanged(String participantId, String connection) implements RoomEvent {
        public boolean online() {
            return connection != null;
        }

        public String type() {
            return "participant.presence";
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

    record ParticipantLeft(String participantId, LeaveReason reason) implements RoomEvent {
        public String type() {
            return "participant.left";
        }
    }

    record FacilitatorChanged(String participantId) implements RoomEvent {
        public String type() {
            return "facilitator.changed";
        }
    }

    record SettingsChanged(Settings settings) implements RoomEvent {
        public String type() {
            return "settings.changed";
        }
    }

    record ItemAdded(BacklogItem item) implements RoomEvent {
        public String type() {
            return "item.added";
        }
    }

    record ItemUpdated(BacklogItem item) implements RoomEvent {
        public String type() {
            return "item.updated";
        }
    }

    record ItemRemoved(String itemId) implements RoomEvent {
        public String type() {
            return "item.removed";
        }
    }

    record RoundStarted(Round round) implements RoomEvent {
        public String type() {
            return "round.started";
        }
    }

    record VoteCast(String participantId, Vote vote) implements RoomEvent {
        public String type() {
            return "vote.cast";
        }
    }

    record VoteWithdrawn(String participantId) implements RoomEvent {
        public String type() {
            return "vote.withdrawn";
        }
    }

    record RoundRevealed(Round round) implements RoomEvent {
        public String type() {
            return "round.revealed";
        }
    }

    record EstimateSettled(String itemId, String estimate) implements RoomEvent {
        public String type() {
            return "item.estimated";
        }
    }

    record FlagResolved(String itemId, Flag flag) implements RoomEvent {
        public String type() {
            return "item.updated";
        }
    }
}

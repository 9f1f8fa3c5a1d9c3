package dev.readyroom.domain;

import java.util.List;
import java.util.Objects;

/** Everything that can be asked of a room. Each accepted command yields exactly one event. */
public sealed interface RoomCommand {

    /** The wire name, for metrics and logs. */
    String type();

    /**
     * A new participant on {@code connection} (system: the connection layer joins on the person's
     * behalf).
     */
    record Join(String participantId, String name, Role role, String tokenHash, String connection,
            String presentedTokenHash, long atMillis) implements RoomCommand {
        public Join {
            Objects.requireNonNull(connection, "connection");
        }

        /** Someone who presented no earlier token. */
        public Join(String participantId, String name, Role role, String tokenHash, String connection) {
            this(participantId, name, role, tokenHash, connection, null, 0);
        }

        public String type() {
            return "join";
        }
    }

    /** A known participant back on {@code connection} (resume). */
    record Reconnect(String participantId, String connection) implements RoomCommand {
        public Reconnect {
            Objects.requireNonNull(connection, "connection");
        }

        public String type() {
            return "reconnect";
        }
    }

    /** The participant presented the room's facilitator key (system: the key is checked outside). */
    record ClaimFacilitator(String participantId) implements RoomCommand {
        public String type() {
            return "facilitator.claim";
        }
    }

    /**
     * The participant's {@code connection} dropped, or its node died (system); refused if they
     * are online on another connection by now.
     */
    record Disconnect(String participantId, String connection) implements RoomCommand {
        public String type() {
            return "disconnect";
        }
    }

    /** The grace period after a disconnect has passed (system); ignored if they came back. */
    record Expire(String participantId) implements RoomCommand {
        public String type() {
            return "expire";
        }
    }

    record Leave() implements RoomCommand {
        public String type() {
            return "leave";
        }
    }

    /** Cast, change ({@code value != null}) or withdraw ({@code value == null}) one's hidden vote. */
    record CastVote(String value, List<Flag> flags) implements RoomCommand {
        public CastVote {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }

        public String type() {
            return "vote";
        }
    }

    record Reveal() implements RoomCommand {
        public String type() {
            return "reveal";
        }
    }

    record Revote() implements RoomCommand {
        public String type() {
            return "revote";
        }
    }

    record StartQuickRound() implements RoomCommand {
        public String type() {
            return "round.quick";
        }
    }

    record AddItem(String title, String description, String acceptanceCriteria, String reference)
            implements RoomCommand {
        public String type() {
            return "item.add";
        }
    }

    /** An item from a file the facilitator imported (system: the key is checked by the REST resource). */
    record ImportItem(String title, String description, String acceptanceCriteria, String reference)
            implements RoomCommand {
        public String type() {
            return "item.import";
        }
    }

    /** Null fields stay as they are. */
    record UpdateItem(String itemId, String title, String description, String acceptanceCriteria, String reference)
            implements RoomCommand {
        public String type() {
            return "item.update";
        }
    }

    record RemoveItem(String itemId) implements RoomCommand {
        public String type() {
            return "item.remove";
        }
    }

    record SelectItem(String itemId) implements RoomCommand {
        public String type() {
            return "item.select";
        }
    }

    /** Settle the final estimate; {@code value == null} clears it. */
    record SettleEstimate(String itemId, String value) implements RoomCommand {
        public String type() {
            return "item.estimate";
        }
    }

    record ResolveFlag(String itemId, Flag flag) implements RoomCommand {
        public String type() {
            return "item.flag.resolve";
        }
    }

    record UpdateSettings(boolean autoReveal) implements RoomCommand {
        public String type() {
            return "settings.update";
        }
    }

    record TransferFacilitator(String participantId) implements RoomCommand {
        public String type() {
            return "facilitator.transfer";
        }
    }

    /**
     * Removes a participant and keeps their token out of the room until {@code keptOutUntilMillis}
     * (0: not kept out). The connection layer sets the time from the configured keep-out.
     */
    record RemoveParticipant(String participantId, long keptOutUntilMillis) implements RoomCommand {
        public RemoveParticipant(String participantId) {
            this(participantId, 0);
        }

        public RemoveParticipant keptOutUntil(long millis) {
            return new RemoveParticipant(participantId, millis);
        }

        public String type() {
            return "participant.remove";
        }
    }

    /** Lets a removed participant back in before their keep-out ends. */
    record Readmit(String participantId) implements RoomCommand {
        public String type() {
            return "participant.readmit";
        }
    }

    /**
     * Deletes the room for good, its record included (the facilitator over the socket, or the
     * service for {@code DELETE /api/rooms/{id}} once it checked the facilitator key).
     */
    record DeleteRoom() implements RoomCommand {
        public String type() {
            return "room.delete";
        }
    }

    /** Null fields stay as they are. */
    record UpdateSelf(String name, Role role) implements RoomCommand {
        public String type() {
            return "participant.update";
        }
    }
}

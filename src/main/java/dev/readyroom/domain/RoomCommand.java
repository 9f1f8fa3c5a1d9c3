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

    /**
     * Cast, change ({@code value != null}) or withdraw ({@code value == null}) one's hidden
     * pre-vote on a pending item, before its round opens (room setting {@code preVoting}).
     */
    record CastPreVote(String itemId, String value, List<Flag> flags) implements RoomCommand {
        public CastPreVote {
            flags = flags == null ? List.of() : List.copyOf(flags);
        }

        public String type() {
            return "prevote";
        }
    }

    /** A participant presented the room's facilitator key, hashed as the room keeps it. */
    record ClaimWithKey(String keyHash) implements RoomCommand {
        public String type() {
            return "facilitator.claim";
        }
    }

    /** Names who writes notes besides the facilitator ({@code participantId == null}: nobody). */
    record NameScribe(String participantId) implements RoomCommand {
        public String type() {
            return "participant.scribe";
        }
    }

    /** A note on an item: the rationale of its estimate, or a decision. */
    record AddNote(String itemId, String text) implements RoomCommand {
        public String type() {
            return "item.note";
        }
    }

    /** Starts (or restarts) the discussion timer; the connection layer sets {@code nowMillis} from the server clock. */
    record StartTimebox(int minutes, long nowMillis) implements RoomCommand {
        public StartTimebox at(long millis) {
            return new StartTimebox(minutes, millis);
        }

        public String type() {
            return "timebox.start";
        }
    }

    /** Stops the running timer; {@code nowMillis} as for {@link StartTimebox}. */
    record StopTimebox(long nowMillis) implements RoomCommand {
        public StopTimebox at(long millis) {
            return new StopTimebox(millis);
        }

        public String type() {
            return "timebox.stop";
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

    record AddItem(String title, String description, String acceptanceCriteria, String reference, String value,
            String dependencies) implements RoomCommand {
        public AddItem(String title, String description, String acceptanceCriteria, String reference) {
            this(title, description, acceptanceCriteria, reference, null, null);
        }

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
    record UpdateItem(String itemId, String title, String description, String acceptanceCriteria, String reference,
            String value, String dependencies) implements RoomCommand {
        public UpdateItem(String itemId, String title, String description, String acceptanceCriteria,
                String reference) {
            this(itemId, title, description, acceptanceCriteria, reference, null, null);
        }

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

    /** {@code note}: how it was resolved, or null. */
    record ResolveFlag(String itemId, Flag flag, String note) implements RoomCommand {
        public ResolveFlag(String itemId, Flag flag) {
            this(itemId, flag, null);
        }

        public String type() {
            return "item.flag.resolve";
        }
    }

    /**
     * Changes the settings given and leaves the others as they are: a null field is not given;
     * {@code velocity} is given (possibly as null, to clear it) when {@code velocityGiven}.
     */
    record UpdateSettings(Boolean autoReveal, ChecklistChange readiness, boolean velocityGiven, Double velocity,
            Boolean preVoting) implements RoomCommand {
        public UpdateSettings(boolean autoReveal) {
            this(autoReveal, null, false, null);
        }

        public UpdateSettings(Boolean autoReveal, ChecklistChange readiness, boolean velocityGiven, Double velocity) {
            this(autoReveal, readiness, velocityGiven, velocity, null);
        }

        public boolean changesNothing() {
            return autoReveal == null && readiness == null && !velocityGiven && preVoting == null;
        }

        public String type() {
            return "settings.update";
        }
    }

    /** The checklist's fields to change; null ones stay as they are. */
    record ChecklistChange(Boolean definition, Boolean value, Boolean size, Boolean risks, String maxEstimate) {
    }

    /** An item split out of a larger one. */
    record NewItem(String title, String description, String acceptanceCriteria, String value) {
    }

    /** Splits an item into 2 to 10 smaller ones, placed right after it. */
    record SplitItem(String itemId, List<NewItem> children) implements RoomCommand {
        public SplitItem {
            children = children == null ? List.of() : List.copyOf(children);
        }

        public String type() {
            return "item.split";
        }
    }

    /** Moves an item to {@code toIndex} in the backlog's order, which is its priority. */
    record MoveItem(String itemId, int toIndex) implements RoomCommand {
        public String type() {
            return "item.move";
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

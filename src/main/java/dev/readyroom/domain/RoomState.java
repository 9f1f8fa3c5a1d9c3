package dev.readyroom.domain;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authoritative state of one room, hidden votes included. Immutable: {@link RoomRules#apply}
 * returns a new state with {@code version} one higher. Never sent to clients as is; clients get a
 * {@link RoomView}. {@code notice} tells everyone something they should know about the room as a
 * whole, e.g. that it was rebuilt from the durable record and an unrevealed round was lost.
 * {@code keptOut}: the people the facilitator removed lately, refused if they come back before their
 * time is up. A {@code deleted} room is a tombstone: it holds nothing and refuses every command.
 * {@code scribeId}: who the facilitator named to write notes besides them, or null; {@code timebox}:
 * the discussion timer last started and not stopped (it may have ended since), or null.
 */
public record RoomState(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
        String facilitatorId, Map<String, Participant> participants, List<BacklogItem> items, Round round,
        List<Round> quickRounds, int lastRoundNumber, int lastItemNumber, int maxParticipants, long version,
        String notice, List<KeptOut> keptOut, boolean deleted, String scribeId, Timebox timebox) {

    public static final int MAX_ITEMS = 500;
    public static final int MAX_QUICK_ROUNDS_KEPT = 20;
    public static final int MAX_ROUNDS_PER_ITEM = 50;
    /**
     * The text of a room's whole backlog, in characters: with the rounds bound below, it keeps a
     * room's state and its snapshot to a few MB at most, whatever a client sends.
     */
    public static final int MAX_BACKLOG_TEXT = 200_000;
    /** Revealed rounds kept on a room's items, all items together. */
    public static final int MAX_ROUNDS_PER_ROOM = 1_000;
    public static final int MAX_SPLIT_CHILDREN = 10;
    /** Removed people remembered per room; the oldest is forgotten first. */
    public static final int MAX_KEPT_OUT = 100;
    /**
     * Pre-votes kept per item: they outlive their voters' connections (people pre-vote, then
     * leave), so the room's participant cap alone does not bound them.
     */
    public static final int MAX_PRE_VOTES_PER_ITEM = 100;

    /** Someone the facilitator removed, refused when they come back with their token before {@code untilMillis}. */
    public record KeptOut(String participantId, String name, String tokenHash, long untilMillis) {
    }

    public RoomState {
        // A room created, or stored, before it had a checklist has the deck's default one.
        settings = settings.forDeck(deck);
        participants = participants instanceof FrozenParticipants frozen ? frozen
                : FrozenParticipants.copyOf(participants);
        // List.copyOf returns a list it made as is: a list kept from the previous state is not copied again.
        items = List.copyOf(items);
        quickRounds = List.copyOf(quickRounds);
        // Null in a state stored before people were kept out.
        keptOut = keptOut == null ? List.of() : List.copyOf(keptOut);
    }

    /** A state without a scribe or a timebox (also one stored before they existed). */
    public RoomState(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
            String facilitatorId, Map<String, Participant> participants, List<BacklogItem> items, Round round,
            List<Round> quickRounds, int lastRoundNumber, int lastItemNumber, int maxParticipants, long version,
            String notice, List<KeptOut> keptOut, boolean deleted) {
        this(id, name, deck, settings, facilitatorKeyHash, facilitatorId, participants, items, round, quickRounds,
                lastRoundNumber, lastItemNumber, maxParticipants, version, notice, keptOut, deleted, null, null);
    }

    /** A new room at version 0, before anyone joined. */
    public static RoomState create(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
            int maxParticipants) {
        return new RoomState(id, Text.requireName(name, Text.MAX_ROOM_NAME, "invalid_name", "A room name"), deck,
                settings, facilitatorKeyHash, null, Map.of(), List.of(), null, List.of(), 0, 0, maxParticipants, 0, null,
                List.of(), false);
    }

    /**
     * A room rebuilt from the durable record under a new epoch: its backlog and history, nobody in
     * it, no open round, at the version the record last saw.
     */
    public static RoomState restored(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
            List<BacklogItem> items, List<Round> quickRounds, int lastRoundNumber, int lastItemNumber,
            int maxParticipants, long version, String notice) {
        return new RoomState(id, name, deck, settings, facilitatorKeyHash, null, Map.of(), items, null, quickRounds,
                lastRoundNumber, lastItemNumber, maxParticipants, version, notice, List.of(), false);
    }

    public Optional<Participant> participant(String participantId) {
        return Optional.ofNullable(participantId == null ? null : participants.get(participantId));
    }

    public Optional<BacklogItem> item(String itemId) {
        return items.stream().filter(item -> item.id().equals(itemId)).findFirst();
    }

    public Optional<Participant> participantByTokenHash(String tokenHash) {
        return participants.values().stream().filter(p -> p.tokenHash().equals(tokenHash)).findFirst();
    }

    /** The removal that keeps the holder of this token out at {@code nowMillis}, if any. */
    public Optional<KeptOut> keptOut(String tokenHash, long nowMillis) {
        return keptOut.stream().filter(k -> k.tokenHash().equals(tokenHash) && k.untilMillis() > nowMillis)
                .findFirst();
    }

    /** The characters of every item's text. */
    public int backlogText() {
        int total = 0;
        for (BacklogItem item : items) {
            total += item.textLength();
        }
        return total;
    }

    /** The revealed rounds on the room's items (quick rounds are kept apart, and capped). */
    public int itemRounds() {
        int total = 0;
        for (BacklogItem item : items) {
            total += item.rounds().size();
        }
        return total;
    }

    public boolean isFacilitator(String participantId) {
        return participantId != null && participantId.equals(facilitatorId);
    }

    /** The facilitator, or the scribe they named: who may write notes. */
    public boolean writesNotes(String participantId) {
        return isFacilitator(participantId) || participantId != null && participantId.equals(scribeId);
    }

    public boolean hasOpenRound() {
        return round != null && !round.revealed();
    }

    /** Every voter in the room (online or away) has voted in the open round, and there is one. */
    public boolean everyVoterVoted() {
        if (!hasOpenRound()) {
            return false;
        }
        List<Participant> voters = participants.values().stream().filter(Participant::votes).toList();
        return !voters.isEmpty() && voters.stream().allMatch(p -> round.votes().containsKey(p.id()));
    }

    /** What one event changes in this state; {@link Change#nextVersion()} makes the state after it. */
    Change change() {
        return new Change(this);
    }

    /**
     * The fields one event changes, gathered so that the next state is made once, whatever the
     * number of fields. Lives within one {@link RoomRules#apply}; {@link #nextVersion()} is the one
     * place where a version goes up.
     */
    static final class Change {
        private final RoomState from;
        private String facilitatorId;
        private Map<String, Participant> participants;
        private boolean participantsOwned;
        private List<BacklogItem> items;
        private Round round;
        private List<Round> quickRounds;
        private int lastRoundNumber;
        private int lastItemNumber;
        private Settings settings;
        private List<KeptOut> keptOut;
        private boolean deleted;
        private String scribeId;
        private Timebox timebox;

        private Change(RoomState from) {
            this.from = from;
            this.facilitatorId = from.facilitatorId;
            this.participants = from.participants;
            this.items = from.items;
            this.round = from.round;
            this.quickRounds = from.quickRounds;
            this.lastRoundNumber = from.lastRoundNumber;
            this.lastItemNumber = from.lastItemNumber;
            this.settings = from.settings;
            this.keptOut = from.keptOut;
            this.deleted = from.deleted;
            this.scribeId = from.scribeId;
            this.timebox = from.timebox;
        }

        Change withScribe(String participantId) {
            scribeId = participantId;
            return this;
        }

        Change withTimebox(Timebox newTimebox) {
            timebox = newTimebox;
            return this;
        }

        Change withFacilitator(String participantId) {
            facilitatorId = participantId;
            return this;
        }

        /** Adds the participant at the end, or replaces the one with the same id in place. */
        Change withParticipant(Participant participant) {
            ownParticipants().put(participant.id(), participant);
            return this;
        }

        Change withoutParticipant(String participantId) {
            ownParticipants().remove(participantId);
            return this;
        }

        Change withItems(List<BacklogItem> newItems) {
            items = newItems;
            return this;
        }

        /** Replaces the item with the same id. */
        Change withItem(BacklogItem changed) {
            List<BacklogItem> next = new ArrayList<>(items);
            next.replaceAll(item -> item.id().equals(changed.id()) ? changed : item);
            return withItems(next);
        }

        Change withRound(Round newRound) {
            round = newRound;
            return this;
        }

        Change withQuickRounds(List<Round> newQuickRounds) {
            quickRounds = newQuickRounds;
            return this;
        }

        Change withLastRoundNumber(int number) {
            lastRoundNumber = number;
            return this;
        }

        Change withLastItemNumber(int number) {
            lastItemNumber = number;
            return this;
        }

        Change withSettings(Settings newSettings) {
            settings = newSettings;
            return this;
        }

        Change withKeptOut(List<KeptOut> newKeptOut) {
            keptOut = newKeptOut;
            return this;
        }

        /** Empties the room for good: what stays is its id, name and version, and that it is deleted. */
        Change deleted() {
            deleted = true;
            facilitatorId = null;
            participants = Map.of();
            participantsOwned = false;
            items = List.of();
            round = null;
            quickRounds = List.of();
            keptOut = List.of();
            scribeId = null;
            timebox = null;
            return this;
        }

        /** The state after this change, one version on. */
        RoomState nextVersion() {
            if (participantsOwned) {
                // Hand the map over: a later edit of this change copies it again.
                participants = FrozenParticipants.adopting(participants);
                participantsOwned = false;
            }
            return new RoomState(from.id, from.name, from.deck, settings, from.facilitatorKeyHash, facilitatorId,
                    participants, items, round, quickRounds, lastRoundNumber, lastItemNumber, from.maxParticipants,
                    from.version + 1, from.notice, keptOut, deleted, scribeId, timebox);
        }

        /** A map of the participants that only this change holds, copied at the first edit. */
        private Map<String, Participant> ownParticipants() {
            if (!participantsOwned) {
                participants = new LinkedHashMap<>(participants);
                participantsOwned = true;
            }
            return participants;
        }
    }

    /**
     * The participants of a state, in join order: copied once by the change that makes them, then
     * shared by every later state that keeps them (a vote, a round, an item), instead of copied
     * again by each. Read-only like any other map of this record.
     */
    private static final class FrozenParticipants extends AbstractMap<String, Participant> {
        private final Map<String, Participant> byId;

        private FrozenParticipants(Map<String, Participant> byId) {
            this.byId = Collections.unmodifiableMap(byId);
        }

        static FrozenParticipants copyOf(Map<String, Participant> participants) {
            return new FrozenParticipants(new LinkedHashMap<>(participants));
        }

        /** Wraps a map that nobody else holds any more, without copying it. */
        static FrozenParticipants adopting(Map<String, Participant> owned) {
            return new FrozenParticipants(owned);
        }

        @Override
        public Set<Entry<String, Participant>> entrySet() {
            return byId.entrySet();
        }

        @Override
        public Participant get(Object participantId) {
            return byId.get(participantId);
        }

        @Override
        public boolean containsKey(Object participantId) {
            return byId.containsKey(participantId);
        }

        @Override
        public int size() {
            return byId.size();
        }

        @Override
        public Set<String> keySet() {
            return byId.keySet();
        }

        @Override
        public Collection<Participant> values() {
            return byId.values();
        }
    }
}

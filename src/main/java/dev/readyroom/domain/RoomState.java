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
 */
public record RoomState(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
        String facilitatorId, Map<String, Participant> participants, List<BacklogItem> items, Round round,
        List<Round> quickRounds, int lastRoundNumber, int lastItemNumber, int maxParticipants, long version,
        String notice) {

    public static final int MAX_ITEMS = 500;
    public static final int MAX_QUICK_ROUNDS_KEPT = 20;
    public static final int MAX_ROUNDS_PER_ITEM = 50;

    public RoomState {
        participants = participants instanceof FrozenParticipants frozen ? frozen : new FrozenParticipants(participants);
        items = List.copyOf(items);
        quickRounds = List.copyOf(quickRounds);
    }

    /** A new room at version 0, before anyone joined. */
    public static RoomState create(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
            int maxParticipants) {
        return new RoomState(id, Text.requireName(name, Text.MAX_ROOM_NAME, "invalid_name", "A room name"), deck,
                settings, facilitatorKeyHash, null, Map.of(), List.of(), null, List.of(), 0, 0, maxParticipants, 0, null);
    }

    /**
     * A room rebuilt from the durable record under a new epoch: its backlog and history, nobody in
     * it, no open round, at the version the record last saw.
     */
    public static RoomState restored(String id, String name, Deck deck, Settings settings, String facilitatorKeyHash,
            List<BacklogItem> items, List<Round> quickRounds, int lastRoundNumber, int lastItemNumber,
            int maxParticipants, long version, String notice) {
        return new RoomState(id, name, deck, settings, facilitatorKeyHash, null, Map.of(), items, null, quickRounds,
                lastRoundNumber, lastItemNumber, maxParticipants, version, notice);
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

    public boolean isFacilitator(String participantId) {
        return participantId != null && participantId.equals(facilitatorId);
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

    RoomState next(String newFacilitatorId, Map<String, Participant> newParticipants, List<BacklogItem> newItems,
            Round newRound, List<Round> newQuickRounds, int newLastRound, int newLastItem, Settings newSettings) {
        return new RoomState(id, name, deck, newSettings, facilitatorKeyHash, newFacilitatorId, newParticipants,
                newItems, newRound, newQuickRounds, newLastRound, newLastItem, maxParticipants, version + 1, notice);
    }

    RoomState withParticipants(Map<String, Participant> newParticipants) {
        return next(facilitatorId, newParticipants, items, round, quickRounds, lastRoundNumber, lastItemNumber,
                settings);
    }

    RoomState withParticipant(Participant participant) {
        Map<String, Participant> next = new LinkedHashMap<>(participants);
        next.put(participant.id(), participant);
        return withParticipants(next);
    }

    RoomState withItem(BacklogItem changed) {
        List<BacklogItem> next = new ArrayList<>(items);
        next.replaceAll(item -> item.id().equals(changed.id()) ? changed : item);
        return next(facilitatorId, participants, next, round, quickRounds, lastRoundNumber, lastItemNumber, settings);
    }

    /**
     * The participants of a state, in join order: copied once by the change that makes them, then
     * shared by every later state that keeps them (a vote, a round, an item), instead of copied
     * again by each. Read-only like any other map of this record.
     */
    private static final class FrozenParticipants extends AbstractMap<String, Participant> {
        private final Map<String, Participant> byId;

        FrozenParticipants(Map<String, Participant> participants) {
            this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(participants));
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

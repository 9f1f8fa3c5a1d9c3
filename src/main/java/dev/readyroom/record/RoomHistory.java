package dev.readyroom.record;

import java.util.List;

/** Everything the record holds about one room, in backlog and round order. */
public record RoomHistory(RecordedRoom room, List<RecordedItem> items, List<RoundHistory> rounds,
        List<RecordedEstimate> estimates, List<RecordedNote> notes) {

    /** A revealed round and its votes, in the order they were shown. */
    public record RoundHistory(RecordedRound round, List<RecordedVote> votes) {
    }

    public List<RoundHistory> roundsOf(String itemId) {
        return rounds.stream().filter(r -> itemId.equals(r.round().itemId)).toList();
    }

    public List<RoundHistory> quickRounds() {
        return rounds.stream().filter(r -> r.round().itemId == null).toList();
    }

    public List<RecordedEstimate> estimatesOf(String itemId) {
        return estimates.stream().filter(e -> itemId.equals(e.itemId)).toList();
    }

    /** The item's notes, oldest first. */
    public List<RecordedNote> notesOf(String itemId) {
        return notes.stream().filter(n -> itemId.equals(n.itemId)).toList();
    }
}

package dev.readyroom.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One estimation round, on a backlog item or a quick round ({@code itemId == null}). Until the
 * reveal, {@code votes} holds the hidden votes and {@code revealedVotes}/{@code stats} are null;
 * from the reveal on, {@code revealedVotes} holds them and {@code votes} is empty, so a room's
 * history keeps each vote once.
 */
public record Round(int number, String itemId, Map<String, Vote> votes, List<RevealedVote> revealedVotes,
        RevealStats stats) {

    public Round {
        votes = votes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(votes));
        revealedVotes = revealedVotes == null ? null : List.copyOf(revealedVotes);
    }

    public static Round open(int number, String itemId) {
        return new Round(number, itemId, Map.of(), null, null);
    }

    public boolean revealed() {
        return revealedVotes != null;
    }

    public Round withVote(String participantId, Vote vote) {
        Map<String, Vote> next = new LinkedHashMap<>(votes);
        if (vote == null) {
            next.remove(participantId);
        } else {
            next.remove(participantId);
            next.put(participantId, vote);
        }
        return new Round(number, itemId, next, revealedVotes, stats);
    }

    public Round reveal(List<RevealedVote> shown, RevealStats computed) {
        return new Round(number, itemId, Map.of(), shown, computed);
    }
}

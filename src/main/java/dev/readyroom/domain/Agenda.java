package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facilitator's agenda for a meeting after pre-voting: the pending items grouped by how much
 * discussion their pre-votes say they need, most first; the backlog's order within a need. It
 * says what the spread of the hidden values means, never a value.
 */
public final class Agenda {

    /** What an item's pre-votes say, most discussion first. */
    public enum Need {
        /** The estimates are 2 or more deck steps apart. */
        DIVERGE("diverge"),
        /** Someone flagged an unknown (and the estimates are not that far apart). */
        FLAGS("flags"),
        /** Fewer than 2 pre-votes with an estimate card: nothing to go by. */
        FEW("few"),
        /** One deck step apart, without flags. */
        CLOSE("close"),
        /** The estimates agree and nobody flagged anything: settle it after a reveal. */
        CONSENSUS("consensus");

        private final String wireName;

        Need(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private Agenda() {
    }

    /**
     * Every pending item (not split, not estimated, not in the open round) by need, most first:
     * each need's item ids in the backlog's order. Ids only, so the agenda of the largest backlog
     * stays a few KB; each item says its own {@code preVoteCount}.
     */
    public static Map<String, List<String>> of(RoomState state) {
        Map<String, List<String>> byNeed = new LinkedHashMap<>();
        for (Need need : Need.values()) {
            byNeed.put(need.wireName(), new ArrayList<>());
        }
        for (BacklogItem item : state.items()) {
            boolean inRound = state.hasOpenRound() && item.id().equals(state.round().itemId());
            if (!item.split() && item.estimate() == null && !inRound) {
                byNeed.get(need(item, state.deck()).wireName()).add(item.id());
            }
        }
        return byNeed;
    }

    /** The need of an item's pre-votes, by the statistics its reveal would show. */
    public static Need need(BacklogItem item, Deck deck) {
        List<RevealedVote> votes = item.preVotes().stream()
                .map(p -> new RevealedVote(p.participantId(), p.name(), p.vote().value(), p.vote().flags())).toList();
        RevealStats stats = Statistics.compute(deck, votes);
        if (stats.spread() != null && stats.spread() >= 2) {
            return Need.DIVERGE;
        }
        if (votes.stream().anyMatch(v -> !v.flags().isEmpty())) {
            return Need.FLAGS;
        }
        long estimates = votes.stream().filter(v -> deck.isEstimate(v.value())).count();
        if (estimates < 2) {
            return Need.FEW;
        }
        return stats.consensus() ? Need.CONSENSUS : Need.CLOSE;
    }
}

package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The facilitator's agenda for a meeting after pre-voting: the pending items ordered by how much
 * discussion their pre-votes say they need, most first; the backlog's order within a need. It
 * says how many pre-voted and what the spread of their hidden values means, never a value.
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

    /** One pending item on the agenda. */
    public record Entry(String itemId, int preVotes, String need) {
    }

    private Agenda() {
    }

    /** Every pending item (not split, not estimated, not in the open round), ordered by need. */
    public static List<Entry> of(RoomState state) {
        record Ranked(BacklogItem item, Need need, int position) {
        }
        List<Ranked> ranked = new ArrayList<>();
        List<BacklogItem> items = state.items();
        for (int i = 0; i < items.size(); i++) {
            BacklogItem item = items.get(i);
            boolean inRound = state.hasOpenRound() && item.id().equals(state.round().itemId());
            if (!item.split() && item.estimate() == null && !inRound) {
                ranked.add(new Ranked(item, need(item, state.deck()), i));
            }
        }
        ranked.sort(Comparator.comparing(Ranked::need).thenComparingInt(Ranked::position));
        return ranked.stream().map(r -> new Entry(r.item().id(), r.item().preVotes().size(), r.need().wireName()))
                .toList();
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

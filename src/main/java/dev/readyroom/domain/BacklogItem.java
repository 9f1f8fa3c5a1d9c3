package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A backlog item being refined: what it is, its revealed rounds (oldest first), its settled
 * estimate, and the unknowns raised in its latest round that the facilitator marked resolved.
 */
public record BacklogItem(String id, String title, String description, String acceptanceCriteria, String reference,
        String estimate, List<Round> rounds, List<Flag> resolvedFlags) {

    public BacklogItem {
        rounds = List.copyOf(rounds);
        resolvedFlags = List.copyOf(resolvedFlags);
    }

    public static BacklogItem create(String id, String title, String description, String acceptanceCriteria,
            String reference) {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, null, List.of(), List.of());
    }

    /** The characters of the item's text, which count against the room's backlog text bound. */
    public int textLength() {
        return length(title) + length(description) + length(acceptanceCriteria) + length(reference);
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Flags raised in the latest revealed round, less the ones resolved since. */
    public List<Flag> openFlags() {
        if (rounds.isEmpty()) {
            return List.of();
        }
        Set<Flag> open = EnumSet.noneOf(Flag.class);
        for (RevealedVote vote : rounds.get(rounds.size() - 1).revealedVotes()) {
            open.addAll(vote.flags());
        }
        open.removeAll(resolvedFlags);
        return List.copyOf(open);
    }

    public BacklogItem withRound(Round revealed) {
        List<Round> next = new ArrayList<>(rounds);
        next.add(revealed);
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, estimate, next, List.of());
    }

    public BacklogItem withEstimate(String value) {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, rounds, resolvedFlags);
    }

    public BacklogItem withResolved(Flag flag) {
        Set<Flag> resolved = EnumSet.noneOf(Flag.class);
        resolved.addAll(resolvedFlags);
        resolved.add(flag);
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, estimate, rounds,
                List.copyOf(resolved));
    }

    public BacklogItem withText(String newTitle, String newDescription, String newAcceptance, String newReference) {
        return new BacklogItem(id, newTitle, newDescription, newAcceptance, newReference, estimate, rounds,
                resolvedFlags);
    }
}

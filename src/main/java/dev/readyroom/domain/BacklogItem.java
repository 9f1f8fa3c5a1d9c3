package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A backlog item being refined: what it is and why it matters ({@code value}), what it waits on,
 * the item it was split from ({@code parentId}), whether it was itself split into smaller ones, its
 * revealed rounds (oldest first), its settled estimate, the unknowns raised in any of its rounds
 * and not resolved since ({@code openFlags}), the latest resolution of each unknown, the hidden
 * pre-votes cast on it before its next round (in the order cast), and the notes written during
 * its discussions (oldest first).
 */
public record BacklogItem(String id, String title, String description, String acceptanceCriteria, String reference,
        String value, String dependencies, String parentId, boolean split, String estimate, List<Round> rounds,
        List<Flag> openFlags, List<Resolution> resolutions, List<PreVote> preVotes, List<Note> notes) {

    /** Notes kept per item; their text counts against the room's backlog text bound too. */
    public static final int MAX_NOTES = 20;

    /** How an unknown was resolved: the facilitator's note, if they left one. */
    public record Resolution(Flag flag, String note) {
    }

    public BacklogItem {
        rounds = List.copyOf(rounds);
        // Null in a state stored before unknowns were kept per item: those of the latest round.
        openFlags = openFlags == null ? flagsOf(rounds.isEmpty() ? null : rounds.get(rounds.size() - 1), List.of())
                : List.copyOf(openFlags);
        resolutions = resolutions == null ? List.of() : List.copyOf(resolutions);
        // Null in a state stored before pre-votes and notes.
        preVotes = preVotes == null ? List.of() : List.copyOf(preVotes);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** An item without pre-votes or notes. */
    public BacklogItem(String id, String title, String description, String acceptanceCriteria, String reference,
            String value, String dependencies, String parentId, boolean split, String estimate, List<Round> rounds,
            List<Flag> openFlags, List<Resolution> resolutions) {
        this(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId, split, estimate,
                rounds, openFlags, resolutions, List.of(), List.of());
    }

    public static BacklogItem create(String id, String title, String description, String acceptanceCriteria,
            String reference) {
        return create(id, title, description, acceptanceCriteria, reference, null, null, null);
    }

    public static BacklogItem create(String id, String title, String description, String acceptanceCriteria,
            String reference, String value, String dependencies, String parentId) {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                false, null, List.of(), List.of(), List.of());
    }

    /** The characters of the item's text, which count against the room's backlog text bound. */
    public int textLength() {
        int notes = 0;
        for (Resolution resolution : resolutions) {
            notes += length(resolution.note());
        }
        for (Note note : this.notes) {
            notes += note.cost();
        }
        return length(title) + length(description) + length(acceptanceCriteria) + length(reference) + length(value)
                + length(dependencies) + notes;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Unknowns that were raised and are resolved now (each resolved one's latest resolution). */
    public List<Flag> resolvedFlags() {
        return resolutions.stream().map(Resolution::flag).filter(flag -> !openFlags.contains(flag)).toList();
    }

    /** The open flags with those {@code round} raised, in the flags' order. */
    private static List<Flag> flagsOf(Round round, List<Flag> open) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        flags.addAll(open);
        if (round != null && round.revealedVotes() != null) {
            for (RevealedVote vote : round.revealedVotes()) {
                flags.addAll(vote.flags());
            }
        }
        return List.copyOf(flags);
    }

    /** The round is added to the history; every unknown it raised is open, even one resolved before. */
    public BacklogItem withRound(Round revealed) {
        List<Round> next = new ArrayList<>(rounds);
        next.add(revealed);
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                split, estimate, next, flagsOf(revealed, openFlags), resolutions, preVotes, notes);
    }

    public BacklogItem withEstimate(String newEstimate) {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                split, newEstimate, rounds, openFlags, resolutions, preVotes, notes);
    }

    /** The flag is no longer open; its resolution (and note) replaces any earlier one of the same flag. */
    public BacklogItem withResolved(Flag flag, String note) {
        List<Resolution> kept = new ArrayList<>(resolutions.stream().filter(r -> r.flag() != flag).toList());
        kept.add(new Resolution(flag, note));
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                split, estimate, rounds, openFlags.stream().filter(open -> open != flag).toList(), kept, preVotes,
                notes);
    }

    public BacklogItem withText(String newTitle, String newDescription, String newAcceptance, String newReference,
            String newValue, String newDependencies) {
        return new BacklogItem(id, newTitle, newDescription, newAcceptance, newReference, newValue, newDependencies,
                parentId, split, estimate, rounds, openFlags, resolutions, preVotes, notes);
    }

    /** Split into smaller items: it leaves the runway and is never voted on again, so its pre-votes go. */
    public BacklogItem asSplit() {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                true, estimate, rounds, openFlags, resolutions, List.of(), notes);
    }

    /** The pre-vote of {@code participantId}, if any. */
    public Optional<PreVote> preVoteOf(String participantId) {
        return preVotes.stream().filter(p -> p.participantId().equals(participantId)).findFirst();
    }

    /** Casts, changes (moved to the end) or withdraws ({@code vote == null}) a pre-vote. */
    public BacklogItem withPreVote(String participantId, String name, String tokenHash, Vote vote) {
        List<PreVote> next = new ArrayList<>(preVotes.stream().filter(p -> !p.participantId().equals(participantId))
                .toList());
        if (vote != null) {
            next.add(new PreVote(participantId, name, tokenHash, vote));
        }
        return withPreVotes(next);
    }

    public BacklogItem withPreVotes(List<PreVote> next) {
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                split, estimate, rounds, openFlags, resolutions, next, notes);
    }

    public BacklogItem withNote(Note note) {
        List<Note> next = new ArrayList<>(notes);
        next.add(note);
        return new BacklogItem(id, title, description, acceptanceCriteria, reference, value, dependencies, parentId,
                split, estimate, rounds, openFlags, resolutions, preVotes, next);
    }
}

package dev.readyroom.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room as one participant may see it. Before the reveal a round shows only who voted; the
 * viewer's own hidden vote is in {@code myVote} and nowhere else, their own pre-votes in
 * {@code myPreVotes} (by item id) and nowhere else. Only the facilitator's view has the
 * {@code agenda}, and only with pre-voting on: what the pre-votes' spread means is for the one who
 * runs the meeting, not for a voter who could learn others' values by changing their own.
 */
public record RoomView(String id, String name, Deck deck, Settings settings, String facilitatorId,
        List<ParticipantView> participants, List<ItemView> items, RoundView round, VoteView myVote,
        List<RoundView> quickRounds, long version, String notice, List<KeptOutView> keptOut, Runway runway,
        String scribeId, TimeboxView timebox, Map<String, VoteView> myPreVotes, Map<String, List<String>> agenda) {

    /** The running discussion timer, in server-clock epoch milliseconds. */
    public record TimeboxView(long startedAt, long endsAt, int minutes) {
        public static TimeboxView of(Timebox timebox) {
            return timebox == null ? null : new TimeboxView(timebox.startedAt(), timebox.endsAt(), timebox.minutes());
        }
    }

    /** A note as clients see it; {@code round} null before the item's first round. */
    public record NoteView(int number, Integer round, String author, String text) {
        public static NoteView of(Note note) {
            return new NoteView(note.number(), note.round(), note.author(), note.text());
        }
    }

    /** Someone the facilitator removed, kept out until {@code until} (ISO-8601) unless let back in. */
    public record KeptOutView(String participantId, String name, String until) {
        public static KeptOutView of(RoomState.KeptOut keptOut) {
            return new KeptOutView(keptOut.participantId(), keptOut.name(),
                    Instant.ofEpochMilli(keptOut.untilMillis()).toString());
        }
    }

    public record ParticipantView(String id, String name, String role, boolean online) {
        public static ParticipantView of(Participant p) {
            return new ParticipantView(p.id(), p.name(), p.role().wireName(), p.online());
        }
    }

    public record VoteView(String value, List<String> flags) {
        public static VoteView of(Vote vote) {
            return vote == null ? null : new VoteView(vote.value(), vote.flags().stream().map(Flag::wireName).toList());
        }
    }

    public record RevealedVoteView(String participantId, String name, String value, List<String> flags) {
    }

    public record RoundView(int number, String itemId, boolean revealed, List<String> voted,
            List<RevealedVoteView> votes, RevealStats stats) {

        public static RoundView of(Round round) {
            if (round == null) {
                return null;
            }
            if (!round.revealed()) {
                return new RoundView(round.number(), round.itemId(), false, List.copyOf(round.votes().keySet()), null,
                        null);
            }
            List<RevealedVoteView> votes = round.revealedVotes().stream()
                    .map(v -> new RevealedVoteView(v.participantId(), v.name(), v.value(),
                            v.flags().stream().map(Flag::wireName).toList()))
                    .toList();
            return new RoundView(round.number(), round.itemId(), true,
                    round.revealedVotes().stream().map(RevealedVote::participantId).toList(), votes, round.stats());
        }
    }

    /** The latest resolution of an unknown raised on an item, and the facilitator's note (or null). */
    public record ResolutionView(String flag, String note) {
    }

    /**
     * An item as a snapshot shows it: its last {@link #ROUNDS_SHOWN} revealed rounds, oldest first,
     * and how many it has in all ({@code roundCount}); the rest are a request away, so a snapshot
     * does not grow with an item's history. Events carry the item without its rounds.
     */
    public record ItemView(String id, String title, String description, String acceptanceCriteria, String reference,
            String value, String dependencies, String parentId, String estimate, String status, List<RoundView> rounds,
            int roundCount, List<String> openFlags, List<String> resolvedFlags, List<ResolutionView> resolutions,
            Readiness readiness, int preVoteCount, List<NoteView> notes) {

        public static final int ROUNDS_SHOWN = 3;

        public static ItemView of(BacklogItem item, RoomState state) {
            return of(item, state, ROUNDS_SHOWN);
        }

        /** The item with its last {@code roundsShown} rounds (0: none, as events carry it). */
        public static ItemView of(BacklogItem item, RoomState state, int roundsShown) {
            String status;
            if (item.split()) {
                status = "split";
            } else if (item.estimate() != null) {
                status = "estimated";
            } else if (state.round() != null && item.id().equals(state.round().itemId())) {
                status = "voting";
            } else {
                status = "pending";
            }
            List<Round> rounds = item.rounds();
            return new ItemView(item.id(), item.title(), item.description(), item.acceptanceCriteria(),
                    item.reference(), item.value(), item.dependencies(), item.parentId(), item.estimate(), status,
                    rounds.subList(Math.max(0, rounds.size() - roundsShown), rounds.size()).stream()
                            .map(RoundView::of).toList(),
                    rounds.size(), item.openFlags().stream().map(Flag::wireName).toList(),
                    item.resolvedFlags().stream().map(Flag::wireName).toList(),
                    item.resolutions().stream().map(r -> new ResolutionView(r.flag().wireName(), r.note())).toList(),
                    Readiness.of(item, state.deck(), state.settings().readiness()), item.preVotes().size(),
                    item.notes().stream().map(NoteView::of).toList());
        }

        /** Every revealed round of the item, oldest first. */
        public static List<RoundView> allRounds(BacklogItem item) {
            return item.rounds().stream().map(RoundView::of).toList();
        }
    }

    /**
     * The revealed votes of the item rounds a snapshot shows, all rounds together: the newest rounds
     * are shown, at most {@link ItemView#ROUNDS_SHOWN} per item, until the next would pass this.
     * Some 15 rounds of a 100-person room, or the last 3 rounds of 60 items for a team of 8.
     */
    public static final int VOTES_IN_SNAPSHOT = 1_500;
    /** The quick rounds a snapshot shows: the newest. */
    public static final int QUICK_ROUNDS_IN_SNAPSHOT = 5;

    /** The view with the timebox as the state keeps it, whether it has ended or not. */
    public static RoomView of(RoomState state, String viewerId) {
        return of(state, viewerId, Long.MIN_VALUE);
    }

    /** The view at {@code nowMillis} on the server clock: a timebox that has ended by then is left out. */
    public static RoomView of(RoomState state, String viewerId, long nowMillis) {
        Round round = state.round();
        Vote mine = round == null || round.revealed() || viewerId == null ? null : round.votes().get(viewerId);
        Map<String, Integer> shown = roundsShown(state);
        List<Round> quick = state.quickRounds();
        return new RoomView(state.id(), state.name(), state.deck(), state.settings(), state.facilitatorId(),
                state.participants().values().stream().map(ParticipantView::of).toList(),
                state.items().stream().map(item -> ItemView.of(item, state, shown.getOrDefault(item.id(), 0)))
                        .toList(),
                RoundView.of(round), VoteView.of(mine),
                quick.subList(Math.max(0, quick.size() - QUICK_ROUNDS_IN_SNAPSHOT), quick.size()).stream()
                        .map(RoundView::of).toList(),
                state.version(), state.notice(), state.keptOut().stream().map(KeptOutView::of).toList(),
                Runway.of(state), state.scribeId(),
                state.timebox() == null || !state.timebox().runningAt(nowMillis) ? null
                        : TimeboxView.of(state.timebox()),
                myPreVotes(state, viewerId),
                state.settings().preVoting() && state.isFacilitator(viewerId) ? Agenda.of(state) : null);
    }

    private static Map<String, VoteView> myPreVotes(RoomState state, String viewerId) {
        Map<String, VoteView> mine = new LinkedHashMap<>();
        if (viewerId != null) {
            for (BacklogItem item : state.items()) {
                item.preVoteOf(viewerId).ifPresent(p -> mine.put(item.id(), VoteView.of(p.vote())));
            }
        }
        return mine;
    }

    /**
     * How many of each item's last rounds the snapshot shows: the room's newest rounds, up to
     * {@link ItemView#ROUNDS_SHOWN} per item and {@link #VOTES_IN_SNAPSHOT} votes in all, so a
     * snapshot's size is bounded whatever the room's history (each item says its {@code roundCount};
     * the rest are a request away).
     */
    private static Map<String, Integer> roundsShown(RoomState state) {
        List<Round> candidates = new ArrayList<>();
        for (BacklogItem item : state.items()) {
            List<Round> rounds = item.rounds();
            candidates.addAll(rounds.subList(Math.max(0, rounds.size() - ItemView.ROUNDS_SHOWN), rounds.size()));
        }
        candidates.sort(Comparator.comparingInt(Round::number).reversed());
        Map<String, Integer> shown = new HashMap<>();
        int votes = 0;
        for (Round kept : candidates) {
            votes += kept.revealedVotes().size();
            if (votes > VOTES_IN_SNAPSHOT) {
                break;
            }
            shown.merge(kept.itemId(), 1, Integer::sum);
        }
        return shown;
    }
}

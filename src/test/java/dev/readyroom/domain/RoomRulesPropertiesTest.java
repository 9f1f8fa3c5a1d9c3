package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random command sequences from random actors, checked against the room's invariants after every
 * step. Each seed is reproducible: a failure names the seed and the step.
 */
class RoomRulesPropertiesTest {
    private static final int STEPS = 400;
    private static final Set<String> FACILITATOR_ONLY = Set.of("reveal", "revote", "round.quick", "item.add",
            "item.update", "item.remove", "item.select", "item.estimate", "item.flag.resolve", "settings.update",
            "facilitator.transfer", "participant.remove", "item.split", "item.move", "participant.scribe",
            "timebox.start", "timebox.stop");
    private static final Set<String> KNOWN_CODES = Set.of("not_allowed", "not_joined", "not_facilitator",
            "not_voter", "no_round", "round_revealed", "invalid_value", "invalid_name", "invalid_role",
            "unknown_item", "unknown_participant", "item_in_round", "room_full", "too_many_items", "too_many_rounds",
            "already_joined", "already_facilitator", "not_online", "connected_elsewhere", "not_away", "item_split",
            "backlog_full", "prevoting_off", "item_estimated", "too_many_prevotes", "invalid_key", "not_scribe",
            "too_many_notes", "no_timebox");

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long seed = 1; seed <= 150; seed++) {
            seeds.add(seed);
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyStepKeepsTheInvariants(long seed) {
        Random random = new Random(seed);
        Deck deck = random.nextBoolean() ? Decks.FIBONACCI : Decks.TSHIRT;
        RoomState state = RoomState.create("room", "Room", deck, new Settings(false), "hash", 8);
        List<String> everyoneEver = new ArrayList<>(List.of("stranger"));

        for (int step = 0; step < STEPS; step++) {
            Actor actor = pickActor(random, state, everyoneEver);
            RoomCommand command = pickCommand(random, state, deck, everyoneEver, step * 20_000L);
            Decision decision = RoomRules.decide(state, command, actor);
            String where = "seed " + seed + " step " + step + " " + command + " by " + actor;

            if (decision instanceof Decision.Rejected rejected) {
                assertThat(KNOWN_CODES).as(where).contains(rejected.code());
                assertThat(rejected.message()).as(where).isNotBlank();
                continue;
            }
            if (command instanceof RoomCommand.AddNote) {
                assertThat(state.writesNotes(actor.participantId())).as("only the facilitator or scribe: " + where)
                        .isTrue();
            }
            if (FACILITATOR_ONLY.contains(command.type())) {
                boolean systemReveal = actor.isSystem() && command instanceof RoomCommand.Reveal;
                assertThat(systemReveal || state.isFacilitator(actor.participantId()))
                        .as("only the facilitator may: " + where).isTrue();
            }
            RoomEvent event = ((Decision.Accepted) decision).event();
            RoomState next = RoomRules.apply(state, event);
            assertThat(next.version()).as(where).isEqualTo(state.version() + 1);
            checkInvariants(next, where);
            checkUnknownsOnlyShrinkThroughResolve(state, next, event, where);
            if (event instanceof RoomEvent.ParticipantJoined joined) {
                everyoneEver.add(joined.participant().id());
            }
            state = next;
        }
    }

    private static void checkInvariants(RoomState state, String where) {
        if (state.facilitatorId() != null) {
            assertThat(state.participants()).as(where).containsKey(state.facilitatorId());
        }
        if (state.scribeId() != null) {
            assertThat(state.participants()).as(where).containsKey(state.scribeId());
        }
        assertThat(state.participants().size()).as(where).isLessThanOrEqualTo(state.maxParticipants());
        Round round = state.round();
        if (round != null && !round.revealed()) {
            for (String voter : round.votes().keySet()) {
                assertThat(state.participants().get(voter)).as("a hidden vote of someone gone: " + where).isNotNull();
                assertThat(state.participants().get(voter).votes()).as("an observer's vote: " + where).isTrue();
            }
        }
        for (Participant viewer : state.participants().values()) {
            RoomView view = RoomView.of(state, viewer.id());
            if (round != null && !round.revealed()) {
                assertThat(view.round().votes()).as("votes visible before the reveal: " + where).isNull();
                assertThat(view.round().stats()).as(where).isNull();
                Vote own = round.votes().get(viewer.id());
                assertThat(view.myVote()).as(where).isEqualTo(RoomView.VoteView.of(own));
                assertThat(view.round().voted()).as(where).containsExactlyInAnyOrderElementsOf(round.votes().keySet());
            } else {
                assertThat(view.myVote()).as(where).isNull();
            }
            for (var mine : view.myPreVotes().entrySet()) {
                Vote own = state.item(mine.getKey()).orElseThrow().preVoteOf(viewer.id()).orElseThrow().vote();
                assertThat(mine.getValue()).as("only one's own pre-votes: " + where).isEqualTo(RoomView.VoteView.of(own));
            }
            assertThat(view.myPreVotes()).as(where).hasSize((int) state.items().stream()
                    .filter(item -> item.preVoteOf(viewer.id()).isPresent()).count());
            assertThat(view.agenda() != null).as("the agenda is the facilitator's: " + where)
                    .isEqualTo(state.isFacilitator(viewer.id()) && state.settings().preVoting());
        }
        for (BacklogItem item : state.items()) {
            for (Round revealed : item.rounds()) {
                assertThat(revealed.revealed()).as(where).isTrue();
                assertThat(revealed.stats().votes()).as(where).isEqualTo(revealed.revealedVotes().size());
            }
            if (item.estimate() != null) {
                assertThat(state.deck().contains(item.estimate())).as(where).isTrue();
            }
            assertThat(item.preVotes().size()).as(where).isLessThanOrEqualTo(RoomState.MAX_PRE_VOTES_PER_ITEM);
            assertThat(item.notes().size()).as(where).isLessThanOrEqualTo(BacklogItem.MAX_NOTES);
            if (item.split()) {
                assertThat(item.preVotes()).as("pre-votes on a split item: " + where).isEmpty();
                assertThat(state.round() != null && !state.round().revealed()
                        && item.id().equals(state.round().itemId())).as("a split item voted on: " + where).isFalse();
            }
            RoomView.ItemView shown = RoomView.of(state, null).items().stream()
                    .filter(view -> view.id().equals(item.id())).findFirst().orElseThrow();
            assertThat(shown.readiness()).as("readiness is the checklist on the item: " + where)
                    .isEqualTo(checklistOn(item, state));
        }
        assertThat(state.backlogText()).as(where).isLessThanOrEqualTo(RoomState.MAX_BACKLOG_TEXT);
    }

    /**
     * An item's open unknowns grow only by a reveal (with what that round raised) and shrink only by
     * {@code item.flag.resolve} (by the flag resolved).
     */
    private static void checkUnknownsOnlyShrinkThroughResolve(RoomState before, RoomState after, RoomEvent event,
            String where) {
        for (BacklogItem now : after.items()) {
            BacklogItem was = before.item(now.id()).orElse(null);
            if (was == null) {
                assertThat(now.openFlags()).as(where).isEmpty();
                continue;
            }
            Set<Flag> gone = EnumSet.noneOf(Flag.class);
            gone.addAll(was.openFlags());
            gone.removeAll(now.openFlags());
            if (event instanceof RoomEvent.FlagResolved resolved && resolved.itemId().equals(now.id())) {
                assertThat(gone).as(where).containsExactly(resolved.flag());
            } else {
                assertThat(gone).as("an unknown cleared without item.flag.resolve: " + where).isEmpty();
            }
            Set<Flag> raised = EnumSet.noneOf(Flag.class);
            raised.addAll(now.openFlags());
            raised.removeAll(was.openFlags());
            if (!raised.isEmpty()) {
                assertThat(event).as(where).isInstanceOf(RoomEvent.RoundRevealed.class);
                Round revealed = ((RoomEvent.RoundRevealed) event).round();
                assertThat(revealed.itemId()).as(where).isEqualTo(now.id());
                Set<Flag> inRound = EnumSet.noneOf(Flag.class);
                revealed.revealedVotes().forEach(vote -> inRound.addAll(vote.flags()));
                assertThat(inRound).as(where).containsAll(raised);
            }
        }
    }

    /** The checklist evaluated on the item here, independently of {@link Readiness}. */
    private static Readiness checklistOn(BacklogItem item, RoomState state) {
        Settings.Checklist checklist = state.settings().readiness();
        Deck deck = state.deck();
        List<Readiness.Check> checks = new ArrayList<>();
        if (checklist.definition()) {
            List<String> missing = new ArrayList<>();
            if (item.acceptanceCriteria() == null || item.acceptanceCriteria().isBlank()) {
                missing.add("acceptance");
            }
            checks.add(new Readiness.Check("definition", missing.isEmpty(), missing));
        }
        if (checklist.value()) {
            boolean ok = item.value() != null && !item.value().isBlank();
            checks.add(new Readiness.Check("value", ok, ok ? List.of() : List.of("value")));
        }
        if (checklist.size()) {
            List<String> missing = new ArrayList<>();
            String estimate = item.estimate();
            if (estimate == null || estimate.equals("?") || estimate.equals("coffee")) {
                missing.add("estimate");
            } else if (deck.estimateCards().indexOf(estimate) > deck.estimateCards().indexOf(checklist.maxEstimate())) {
                missing.add("above-max");
            }
            if (item.openFlags().contains(Flag.TOO_BIG)) {
                missing.add("too-big");
            }
            checks.add(new Readiness.Check("size", missing.isEmpty(), missing));
        }
        if (checklist.risks()) {
            List<String> missing = item.openFlags().stream().map(flag -> "flag:" + flag.wireName()).toList();
            checks.add(new Readiness.Check("risks", missing.isEmpty(), missing));
        }
        List<String> all = new ArrayList<>();
        checks.forEach(check -> all.addAll(check.missing()));
        return new Readiness(checks.stream().allMatch(Readiness.Check::ok), checks, all);
    }

    private static Actor pickActor(Random random, RoomState state, List<String> everyoneEver) {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return Actor.SYSTEM;
        }
        if (roll <= 3 && state.facilitatorId() != null) {
            return Actor.participant(state.facilitatorId());
        }
        return Actor.participant(everyoneEver.get(random.nextInt(everyoneEver.size())));
    }

    private static RoomCommand pickCommand(Random random, RoomState state, Deck deck, List<String> everyoneEver,
            long now) {
        String someone = everyoneEver.get(random.nextInt(everyoneEver.size()));
        String item = state.items().isEmpty() || random.nextInt(8) == 0 ? "i-missing"
                : state.items().get(random.nextInt(state.items().size())).id();
        String card = random.nextInt(10) == 0 ? "7½" : deck.cards().get(random.nextInt(deck.cards().size()));
        return switch (random.nextInt(32)) {
            case 0, 1 -> new RoomCommand.Join("p" + random.nextInt(1_000_000),
                    random.nextInt(6) == 0 ? "" : "Person " + random.nextInt(99),
                    random.nextBoolean() ? Role.VOTER : Role.OBSERVER, "t" + random.nextLong(),
                    "n/" + random.nextInt(4));
            case 2 -> new RoomCommand.ClaimFacilitator(someone);
            case 3, 4, 5, 6 -> new RoomCommand.CastVote(random.nextInt(8) == 0 ? null : card, flags(random));
            case 7 -> new RoomCommand.Reveal();
            case 8 -> new RoomCommand.Revote();
            case 9 -> new RoomCommand.StartQuickRound();
            case 10 -> new RoomCommand.AddItem(random.nextInt(6) == 0 ? " " : "Item " + random.nextInt(99),
                    "desc", random.nextBoolean() ? "criteria" : null, null, random.nextBoolean() ? "For users" : null,
                    null);
            case 11 -> new RoomCommand.SelectItem(item);
            case 12 -> new RoomCommand.SettleEstimate(item, random.nextInt(5) == 0 ? null : card);
            case 13 -> new RoomCommand.ResolveFlag(item, Flag.values()[random.nextInt(Flag.values().length)]);
            case 14 -> new RoomCommand.TransferFacilitator(someone);
            case 15 -> new RoomCommand.RemoveParticipant(someone);
            case 16 -> new RoomCommand.UpdateSelf(null, random.nextBoolean() ? Role.VOTER : Role.OBSERVER);
            case 17 -> random.nextBoolean() ? new RoomCommand.Disconnect(someone, "n/" + random.nextInt(4))
                    : new RoomCommand.Reconnect(someone, "n/" + random.nextInt(4));
            case 18 -> new RoomCommand.Expire(someone);
            case 19 -> new RoomCommand.RemoveItem(item);
            case 20 -> new RoomCommand.SplitItem(item, children(random));
            case 21 -> new RoomCommand.MoveItem(item, random.nextInt(Math.max(1, state.items().size() + 1)) - 
                    (random.nextInt(10) == 0 ? 1 : 0));
            case 22 -> new RoomCommand.ResolveFlag(item, Flag.values()[random.nextInt(Flag.values().length)],
                    random.nextBoolean() ? "Checked with the team" : null);
            case 23 -> new RoomCommand.UpdateSettings(random.nextBoolean() ? null : random.nextBoolean(),
                    random.nextBoolean() ? null : new RoomCommand.ChecklistChange(random.nextBoolean(),
                            random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                            random.nextBoolean() ? null : card), random.nextBoolean(),
                    random.nextBoolean() ? null : (double) random.nextInt(40) - 2);
            case 24, 25 -> new RoomCommand.CastPreVote(item, random.nextInt(8) == 0 ? null : card, flags(random));
            case 26 -> new RoomCommand.ClaimWithKey(random.nextBoolean() ? "hash" : "wrong");
            case 27 -> new RoomCommand.NameScribe(random.nextInt(5) == 0 ? null : someone);
            case 28 -> new RoomCommand.AddNote(item, random.nextInt(6) == 0 ? " " : "Decided " + random.nextInt(99));
            case 29 -> new RoomCommand.StartTimebox(random.nextInt(17), now);
            case 30 -> new RoomCommand.StopTimebox(now);
            case 31 -> new RoomCommand.UpdateSettings(null, null, false, null, random.nextInt(4) != 0);
            default -> random.nextInt(4) == 0 ? new RoomCommand.Leave() : new RoomCommand.UpdateSettings(random.nextBoolean());
        };
    }

    /** 1 to 11 parts, now and then one without a title. */
    private static List<RoomCommand.NewItem> children(Random random) {
        List<RoomCommand.NewItem> children = new ArrayList<>();
        int count = 1 + random.nextInt(11);
        for (int i = 0; i < count; i++) {
            children.add(new RoomCommand.NewItem(random.nextInt(20) == 0 ? "" : "Part " + i, null,
                    random.nextBoolean() ? "criteria" : null, random.nextBoolean() ? "For users" : null));
        }
        return children;
    }

    private static List<Flag> flags(Random random) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            flags.add(Flag.values()[random.nextInt(Flag.values().length)]);
        }
        return List.copyOf(flags);
    }
}

package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.readyroom.domain.RoomCommand.AddNote;
import dev.readyroom.domain.RoomCommand.CastPreVote;
import dev.readyroom.domain.RoomCommand.ClaimWithKey;
import dev.readyroom.domain.RoomCommand.Disconnect;
import dev.readyroom.domain.RoomCommand.Expire;
import dev.readyroom.domain.RoomCommand.Join;
import dev.readyroom.domain.RoomCommand.NameScribe;
import dev.readyroom.domain.RoomCommand.Reveal;
import dev.readyroom.domain.RoomCommand.SelectItem;
import dev.readyroom.domain.RoomCommand.SettleEstimate;
import dev.readyroom.domain.RoomCommand.StartTimebox;
import dev.readyroom.domain.RoomCommand.StopTimebox;
import dev.readyroom.domain.RoomCommand.UpdateItem;
import dev.readyroom.domain.RoomCommand.UpdateSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meeting without friction: pre-votes and the agenda, notes, the timebox, the facilitator's hand-over. */
class MeetingRulesTest {
    private static final long NOW = 1_765_000_000_000L;

    private static RoomFixture preVotingRoom(String... voters) {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters(voters);
        room.accept("fac", new UpdateSettings(null, null, false, null, true));
        return room;
    }

    private static CastPreVote preVote(String item, String value, Flag... flags) {
        return new CastPreVote(item, value, List.of(flags));
    }

    @Test
    void preVotesAreRefusedWhilePreVotingIsOffAndFromObservers() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Checkout");

        assertThat(room.reject("ana", preVote(item, "5"))).isEqualTo("prevoting_off");
        room.accept("fac", new UpdateSettings(null, null, false, null, true));
        assertThat(room.state.settings().preVoting()).isTrue();
        assertThat(room.reject("fac", preVote(item, "5"))).isEqualTo("not_voter");
        assertThat(room.reject("ana", preVote("i-missing", "5"))).isEqualTo("unknown_item");
        assertThat(room.reject("ana", preVote(item, "7"))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", preVote(item, "5", Flag.RISK, Flag.RISK))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", preVote(item, null))).as("nothing to withdraw").isEqualTo("invalid_value");
        assertThat(room.state.item(item).orElseThrow().preVotes()).isEmpty();
    }

    @Test
    void preVotesAreForPendingItemsOnly() {
        RoomFixture room = preVotingRoom("ana");
        String estimated = room.addItem("Checkout");
        String inRound = room.addItem("Refund");
        room.accept("fac", new SettleEstimate(estimated, "5"));
        room.accept("fac", new SelectItem(inRound));

        assertThat(room.reject("ana", preVote(estimated, "5"))).isEqualTo("item_estimated");
        assertThat(room.reject("ana", preVote(inRound, "5"))).isEqualTo("item_in_round");
    }

    @Test
    void aPreVoteCanBeChangedAndWithdrawnAndTheViewsShowOnlyTheCountAndOnesOwn() {
        RoomFixture room = preVotingRoom("ana", "bo");
        String item = room.addItem("Checkout");

        room.accept("ana", preVote(item, "3"));
        room.accept("ana", preVote(item, "5", Flag.SCOPE));
        room.accept("bo", preVote(item, "13"));

        RoomView anas = RoomView.of(room.state, "ana");
        assertThat(anas.items().get(0).preVoteCount()).isEqualTo(2);
        assertThat(anas.myPreVotes()).containsOnlyKeys(item);
        assertThat(anas.myPreVotes().get(item)).isEqualTo(new RoomView.VoteView("5", List.of("scope")));
        assertThat(anas.agenda()).as("the agenda is the facilitator's").isNull();
        assertThat(RoomView.of(room.state, "fac").myPreVotes()).isEmpty();

        room.accept("bo", preVote(item, null));
        assertThat(room.state.item(item).orElseThrow().preVotes()).extracting(PreVote::participantId)
                .containsExactly("ana");
    }

    @Test
    void theAgendaPutsDivergentAndFlaggedItemsFirstAndConsensusLast() {
        RoomFixture room = preVotingRoom("ana", "bo");
        String agreed = room.addItem("Agreed");
        String nobody = room.addItem("Nobody pre-voted");
        String diverging = room.addItem("Diverging");
        String flagged = room.addItem("Flagged");
        String close = room.addItem("Close");
        room.accept("ana", preVote(agreed, "5"));
        room.accept("bo", preVote(agreed, "5"));
        room.accept("ana", preVote(diverging, "2"));
        room.accept("bo", preVote(diverging, "8"));
        room.accept("ana", preVote(flagged, "5", Flag.DEPENDENCY));
        room.accept("bo", preVote(flagged, "5"));
        room.accept("ana", preVote(close, "3"));
        room.accept("bo", preVote(close, "5"));

        Map<String, List<String>> agenda = RoomView.of(room.state, "fac").agenda();

        assertThat(agenda).containsExactly(entry("diverge", List.of(diverging)), entry("flags", List.of(flagged)),
                entry("few", List.of(nobody)), entry("close", List.of(close)), entry("consensus", List.of(agreed)));
    }

    @Test
    void openingARoundStartsFromThePreVotesWhichAnyoneMayChangeAndTheRevealShows() {
        RoomFixture room = preVotingRoom("ana", "bo");
        String item = room.addItem("Checkout");
        room.accept("ana", preVote(item, "3"));
        room.accept("bo", preVote(item, "8", Flag.RISK));

        RoomEvent started = room.accept("fac", new SelectItem(item));

        Round round = ((RoomEvent.RoundStarted) started).round();
        assertThat(round.votes()).containsOnlyKeys("ana", "bo");
        assertThat(RoomView.RoundView.of(round).votes()).as("the round's event shows who, not what").isNull();
        assertThat(room.state.item(item).orElseThrow().preVotes()).as("adopted, so gone from the item").isEmpty();
        assertThat(RoomView.of(room.state, "ana").myVote()).isEqualTo(new RoomView.VoteView("3", List.of()));
        room.vote("ana", "5");
        room.accept("fac", new Reveal());

        assertThat(room.state.round().revealedVotes()).extracting(RevealedVote::participantId, RevealedVote::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bo", "8"),
                        org.assertj.core.groups.Tuple.tuple("ana", "5"));
        assertThat(room.state.item(item).orElseThrow().openFlags()).containsExactly(Flag.RISK);
    }

    @Test
    void aRevoteStartsFromThePreVotesCastSinceTheReveal() {
        RoomFixture room = preVotingRoom("ana", "bo");
        String item = room.addItem("Checkout");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "3");
        room.accept("fac", new Reveal());
        room.accept("bo", preVote(item, "8"));

        RoomEvent started = room.accept("fac", new RoomCommand.Revote());

        assertThat(((RoomEvent.RoundStarted) started).round().votes()).containsOnlyKeys("bo");
        assertThat(room.state.item(item).orElseThrow().preVotes()).isEmpty();
    }

    @Test
    void preVotesOfSomeoneWhoseGraceExpiredStayAndTheSameBrowserTakesThemBack() {
        RoomFixture room = preVotingRoom("ana");
        String item = room.addItem("Checkout");
        room.accept("ana", preVote(item, "8"));
        room.system(new Disconnect("ana", "n/ana"));
        room.system(new Expire("ana"));
        assertThat(room.state.item(item).orElseThrow().preVotes()).hasSize(1);

        room.system(new Join("ana2", "Ana", Role.VOTER, "t-new", "n/ana2", "t-ana", NOW));

        assertThat(room.state.item(item).orElseThrow().preVotes()).extracting(PreVote::participantId)
                .containsExactly("ana2");
        assertThat(RoomView.of(room.state, "ana2").myPreVotes()).containsOnlyKeys(item);
        room.accept("ana2", preVote(item, "5"));
        assertThat(room.state.item(item).orElseThrow().preVotes()).hasSize(1);
    }

    @Test
    void someoneWhoLeavesTakesTheirPreVotesAlong() {
        RoomFixture room = preVotingRoom("ana", "bo");
        String item = room.addItem("Checkout");
        room.accept("ana", preVote(item, "8"));
        room.accept("bo", preVote(item, "8"));

        room.accept("ana", new RoomCommand.Leave());
        room.accept("fac", new RoomCommand.RemoveParticipant("bo"));

        assertThat(room.state.item(item).orElseThrow().preVotes()).isEmpty();
    }

    @Test
    void notesAreWrittenByTheFacilitatorOrTheScribeAndKeptWithTheRound() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        String item = room.addItem("Checkout");
        room.accept("fac", new AddNote(item, "Before any round: we split payments out"));
        room.accept("fac", new SelectItem(item));

        assertThat(room.reject("ana", new AddNote(item, "Mine"))).isEqualTo("not_scribe");
        room.accept("fac", new NameScribe("ana"));
        room.accept("ana", new AddNote(item, "  8: the export reuses the report  "));

        assertThat(room.state.item(item).orElseThrow().notes()).containsExactly(
                new Note(1, null, "Fran", "Before any round: we split payments out"),
                new Note(2, 1, "ANA", "8: the export reuses the report"));
        assertThat(room.reject("bo", new AddNote(item, "Mine"))).isEqualTo("not_scribe");
        assertThat(room.reject("ana", new AddNote(item, " "))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", new AddNote(item, "x".repeat(Text.MAX_ITEM_NOTE + 1))))
                .isEqualTo("invalid_value");
        assertThat(room.reject("ana", new AddNote("i-missing", "Mine"))).isEqualTo("unknown_item");
        assertThat(room.reject("fac", new NameScribe("ana"))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new NameScribe("nobody"))).isEqualTo("unknown_participant");
        assertThat(room.reject("bo", new NameScribe("bo"))).isEqualTo("not_facilitator");

        room.accept("ana", new RoomCommand.Leave());
        assertThat(room.state.scribeId()).as("the scribe left").isNull();
    }

    @Test
    void notesAreBoundedPerItemAndCountAgainstTheBacklogText() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Checkout");
        for (int i = 0; i < BacklogItem.MAX_NOTES; i++) {
            room.accept("fac", new AddNote(item, "Note " + i));
        }
        assertThat(room.reject("fac", new AddNote(item, "One more"))).isEqualTo("too_many_notes");

        String other = room.addItem("Refund");
        while (RoomState.MAX_BACKLOG_TEXT - room.state.backlogText() > Text.MAX_LONG_TEXT) {
            String filler = room.addItem("Filler");
            room.accept("fac", new UpdateItem(filler, null, "d".repeat(Text.MAX_LONG_TEXT), null, null));
        }
        int left = RoomState.MAX_BACKLOG_TEXT - room.state.backlogText();
        int fits = left - Note.OVERHEAD - "Fran".length();
        assertThat(fits).isBetween(1, Text.MAX_ITEM_NOTE - 1);
        assertThat(room.reject("fac", new AddNote(other, "n".repeat(fits + 1)))).isEqualTo("backlog_full");
        room.accept("fac", new AddNote(other, "n".repeat(fits)));
        assertThat(room.state.backlogText()).isEqualTo(RoomState.MAX_BACKLOG_TEXT);
    }

    @Test
    void aTimeboxRunsOneToFifteenMinutesOnTheServerClockAndStops() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");

        assertThat(room.reject("fac", new StartTimebox(0, NOW))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new StartTimebox(16, NOW))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", new StartTimebox(5, NOW))).isEqualTo("not_facilitator");
        assertThat(room.reject("fac", new StopTimebox(NOW))).isEqualTo("no_timebox");
        room.accept("fac", new StartTimebox(5, NOW));

        assertThat(room.state.timebox()).isEqualTo(new Timebox(NOW, NOW + 300_000, 5));
        assertThat(RoomView.of(room.state, "ana", NOW + 299_999).timebox()).isNotNull();
        assertThat(RoomView.of(room.state, "ana", NOW + 300_000).timebox()).as("ended").isNull();
        assertThat(room.reject("fac", new StopTimebox(NOW + 300_000))).as("ended").isEqualTo("no_timebox");
        room.accept("fac", new StopTimebox(NOW + 1_000));
        assertThat(room.state.timebox()).isNull();
    }

    @Test
    void aFacilitatorAwayPastTheGracePeriodHandsTheRoleToTheLongestPresentWhoIsOnline() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo", "cy");
        room.system(new Disconnect("ana", "n/ana"));
        room.system(new Disconnect("fac", "n/fac"));

        RoomEvent left = room.system(new Expire("fac"));

        assertThat(left).isEqualTo(new RoomEvent.ParticipantLeft("fac", RoomEvent.LeaveReason.EXPIRED, null, "bo"));
        assertThat(room.state.facilitatorId()).isEqualTo("bo");
        room.system(new Expire("ana"));
        assertThat(room.state.facilitatorId()).as("a voter's expiry hands over nothing").isEqualTo("bo");
    }

    @Test
    void anyoneWithTheKeyTakesTheRoleBack() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        room.accept("fac", new RoomCommand.TransferFacilitator("bo"));

        assertThat(room.reject("ana", new ClaimWithKey("wrong-hash"))).isEqualTo("invalid_key");
        RoomEvent claimed = room.accept("ana", new ClaimWithKey("key-hash"));

        assertThat(claimed).isEqualTo(new RoomEvent.FacilitatorChanged("ana", RoomEvent.FacilitatorReason.CLAIM));
        assertThat(room.state.facilitatorId()).isEqualTo("ana");
        assertThat(room.reject("ana", new ClaimWithKey("key-hash"))).isEqualTo("already_facilitator");
    }
}

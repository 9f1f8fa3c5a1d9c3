package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.RoomCommand.AddItem;
import dev.readyroom.domain.RoomCommand.CastVote;
import dev.readyroom.domain.RoomCommand.DeleteRoom;
import dev.readyroom.domain.RoomCommand.Disconnect;
import dev.readyroom.domain.RoomCommand.Expire;
import dev.readyroom.domain.RoomCommand.Join;
import dev.readyroom.domain.RoomCommand.Leave;
import dev.readyroom.domain.RoomCommand.Readmit;
import dev.readyroom.domain.RoomCommand.Reconnect;
import dev.readyroom.domain.RoomCommand.RemoveItem;
import dev.readyroom.domain.RoomCommand.RemoveParticipant;
import dev.readyroom.domain.RoomCommand.ResolveFlag;
import dev.readyroom.domain.RoomCommand.Reveal;
import dev.readyroom.domain.RoomCommand.Revote;
import dev.readyroom.domain.RoomCommand.SelectItem;
import dev.readyroom.domain.RoomCommand.SettleEstimate;
import dev.readyroom.domain.RoomCommand.StartQuickRound;
import dev.readyroom.domain.RoomCommand.TransferFacilitator;
import dev.readyroom.domain.RoomCommand.UpdateItem;
import dev.readyroom.domain.RoomCommand.UpdateSelf;
import dev.readyroom.domain.RoomCommand.UpdateSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomRulesTest {

    @Test
    void aVoteIsHiddenFromEveryoneButTheVoterUntilTheReveal() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        room.accept("fac", new SelectItem(room.addItem("Export CSV")));

        room.vote("ana", "8", Flag.RISK);

        RoomView asBo = RoomView.of(room.state, "bo");
        RoomView asAna = RoomView.of(room.state, "ana");
        assertThat(asBo.round().voted()).containsExactly("ana");
        assertThat(asBo.round().votes()).isNull();
        assertThat(asBo.myVote()).isNull();
        assertThat(asAna.myVote()).isEqualTo(new RoomView.VoteView("8", List.of("risk")));
    }

    @Test
    void revealShowsEveryVoteWithStatisticsAndKeepsTheRoundInTheItemHistory() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo", "cy");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "3");
        room.vote("bo", "13", Flag.SCOPE);
        room.vote("cy", "5");

        RoomEvent.RoundRevealed revealed = (RoomEvent.RoundRevealed) room.accept("fac", new Reveal());

        assertThat(revealed.round().revealedVotes()).extracting(RevealedVote::value).containsExactly("3", "13", "5");
        assertThat(revealed.round().stats().median()).isEqualTo(5.0);
        assertThat(revealed.round().stats().outliers().low()).containsExactly("ana");
        assertThat(revealed.round().stats().outliers().high()).containsExactly("bo");
        assertThat(room.state.item(item).orElseThrow().rounds()).hasSize(1);
        assertThat(room.state.item(item).orElseThrow().openFlags()).containsExactly(Flag.SCOPE);
        assertThat(RoomView.of(room.state, "cy").round().votes()).hasSize(3);
    }

    @Test
    void aRevealedRoundKeepsEachVoteOnceAndItsCardAsTheDecksOwnText() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", new String("13"));
        room.vote("bo", "8");

        room.accept("fac", new Reveal());

        Round kept = room.state.item(item).orElseThrow().rounds().get(0);
        assertThat(kept.votes()).isEmpty();
        assertThat(kept.revealedVotes()).extracting(RevealedVote::participantId).containsExactly("ana", "bo");
        String decksThirteen = room.state.deck().cards().get(room.state.deck().cards().indexOf("13"));
        assertThat(kept.revealedVotes().get(0).value()).isSameAs(decksThirteen);
    }

    @Test
    void revoteStartsAFreshRoundAndKeepsTheEarlierOnes() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "3");
        room.vote("bo", "13");
        room.accept("fac", new Reveal());

        room.accept("fac", new Revote());
        room.vote("ana", "8");
        room.vote("bo", "8");
        room.accept("fac", new Reveal());

        BacklogItem refined = room.state.item(item).orElseThrow();
        assertThat(refined.rounds()).hasSize(2);
        assertThat(refined.rounds().get(0).stats().consensus()).isFalse();
        assertThat(refined.rounds().get(1).stats().consensus()).isTrue();
        assertThat(refined.rounds().get(1).number()).isGreaterThan(refined.rounds().get(0).number());
    }

    @Test
    void settlingAnEstimateMakesAClearItemReady() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Export CSV");
        assertThat(room.readiness(item).missing())
                .containsExactly("estimate");

        room.accept("fac", new SettleEstimate(item, "5"));

        Readiness readiness = room.readiness(item);
        assertThat(readiness.ready()).isTrue();
        assertThat(RoomView.of(room.state, "ana").items().get(0).status()).isEqualTo("estimated");
    }

    @Test
    void raisedUnknownsBlockReadinessUntilResolved() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "5", Flag.DEPENDENCY);
        room.accept("fac", new Reveal());
        room.accept("fac", new SettleEstimate(item, "5"));
        assertThat(room.readiness(item).missing())
                .containsExactly("flag:dependency");

        room.accept("fac", new ResolveFlag(item, Flag.DEPENDENCY));

        assertThat(room.readiness(item).ready()).isTrue();
        assertThat(room.reject("fac", new ResolveFlag(item, Flag.DEPENDENCY))).isEqualTo("invalid_value");
    }

    @Test
    void anUnknownCardIsNotAReadyEstimate() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Export CSV");

        room.accept("fac", new SettleEstimate(item, "?"));

        assertThat(room.readiness(item).missing())
                .containsExactly("estimate");
    }

    @Test
    void onlyTheFacilitatorRevealsRevotesSettlesAndChangesTheBacklog() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "5");

        for (RoomCommand command : List.of(new Reveal(), new Revote(), new SettleEstimate(item, "5"),
                new AddItem("x", null, null, null), new SelectItem(item), new StartQuickRound(),
                new UpdateSettings(true), new TransferFacilitator("ana"), new RemoveParticipant("fac"),
                new RemoveItem(item), new UpdateItem(item, "y", null, null, null))) {
            assertThat(room.reject("ana", command)).as(command.type()).isEqualTo("not_facilitator");
        }
    }

    @Test
    void votesMustBeCardsOfTheDeckInAnOpenRoundFromAVoter() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        assertThat(room.reject("ana", new CastVote("5", List.of()))).isEqualTo("no_round");
        room.accept("fac", new StartQuickRound());

        assertThat(room.reject("ana", new CastVote("7", List.of()))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", new CastVote(null, List.of()))).isEqualTo("invalid_value");
        Decision huge = room.decide("ana", new CastVote("9".repeat(4_000), List.of()));
        assertThat(((Decision.Rejected) huge).message()).as("the refusal does not repeat 4 KB back").hasSizeLessThan(120);
        assertThat(room.reject("ana", new CastVote("5", List.of(Flag.RISK, Flag.RISK)))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new CastVote("5", List.of()))).isEqualTo("not_voter");
        assertThat(room.reject("stranger", new CastVote("5", List.of()))).isEqualTo("not_joined");

        room.vote("ana", "5");
        room.accept("fac", new Reveal());
        assertThat(room.reject("ana", new CastVote("8", List.of()))).isEqualTo("round_revealed");
        assertThat(room.reject("fac", new Reveal())).isEqualTo("round_revealed");
    }

    @Test
    void aVoteCanBeChangedAndWithdrawn() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        room.accept("fac", new StartQuickRound());
        room.vote("ana", "5");
        room.vote("ana", "8");
        assertThat(RoomView.of(room.state, "ana").myVote().value()).isEqualTo("8");

        room.accept("ana", new CastVote(null, List.of()));

        assertThat(room.state.round().votes()).isEmpty();
    }

    @Test
    void namesAreCheckedOnJoin() {
        RoomFixture room = new RoomFixture(Decks.FIBONACCI);

        assertThat(room.reject(null, new Join("p1", "  ", Role.VOTER, "t", "n/1"))).isEqualTo("invalid_name");
        assertThat(room.reject(null, new Join("p1", "x".repeat(41), Role.VOTER, "t", "n/1"))).isEqualTo("invalid_name");
        assertThat(room.reject(null, new Join("p1", "Ana\u0000", Role.VOTER, "t", "n/1"))).isEqualTo("invalid_name");
        assertThat(room.reject(null, new Join("p1", "Ana\u202E", Role.VOTER, "t", "n/1"))).isEqualTo("invalid_name");
        room.system(new Join("p1", " Ana Lía ", Role.VOTER, "t", "n/1"));
        assertThat(room.state.participants().get("p1").name()).isEqualTo("Ana Lía");
        assertThat(room.reject("p1", new Join("p2", "Bo", Role.VOTER, "t2", "n/1"))).isEqualTo("not_allowed");
    }

    @Test
    void aFullRoomRefusesNewPeople() {
        RoomFixture room = new RoomFixture(Decks.FIBONACCI);
        room.state = RoomState.create("r", "Small", Decks.FIBONACCI, new Settings(false), "k", 2);
        room.system(new Join("a", "A", Role.VOTER, "ta", "n/1"));
        room.system(new Join("b", "B", Role.VOTER, "tb", "n/1"));

        assertThat(room.reject(null, new Join("c", "C", Role.VOTER, "tc", "n/1"))).isEqualTo("room_full");
    }

    @Test
    void aDroppedConnectionIsAwayThenExpiresAndTakesItsVoteAlong() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        room.accept("fac", new StartQuickRound());
        room.vote("ana", "5");

        room.system(new Disconnect("ana", "n/ana"));
        assertThat(room.state.participants().get("ana").online()).isFalse();
        assertThat(room.state.round().votes()).containsKey("ana");

        room.system(new Reconnect("ana", "n/ana-2"));
        assertThat(room.reject(null, new Expire("ana"))).isEqualTo("not_away");

        room.system(new Disconnect("ana", "n/ana-2"));
        room.system(new Expire("ana"));
        assertThat(room.state.participants()).doesNotContainKey("ana");
        assertThat(room.state.round().votes()).isEmpty();
    }

    @Test
    void aDropOfAConnectionThatWasReplacedLeavesTheParticipantOnline() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        // Ana resumed on node m before node n reported her first connection dropped.
        room.system(new Reconnect("ana", "m/7"));

        assertThat(room.reject(null, new Disconnect("ana", "n/ana"))).isEqualTo("connected_elsewhere");
        assertThat(room.state.participants().get("ana").online()).isTrue();
        assertThat(room.state.participants().get("ana").connection()).isEqualTo("m/7");
        assertThat(room.reject(null, new Expire("ana"))).isEqualTo("not_away");

        room.system(new Disconnect("ana", "m/7"));
        assertThat(room.state.participants().get("ana").online()).isFalse();
        assertThat(room.state.participants().get("ana").connection()).isNull();
        assertThat(room.reject(null, new Disconnect("ana", "m/7"))).isEqualTo("not_online");
    }

    @Test
    void aStateWithoutConnectionsTakesAnyDrop() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        Participant ana = room.state.participants().get("ana");
        room.state = room.state.change()
                .withParticipant(new Participant(ana.id(), ana.name(), ana.role(), true, ana.tokenHash(), null))
                .nextVersion();

        room.system(new Disconnect("ana", "n/whichever"));
        assertThat(room.state.participants().get("ana").online()).isFalse();
    }

    @Test
    void everyVoterVotedCountsAwayVotersButNotObservers() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        room.accept("fac", new StartQuickRound());
        room.vote("ana", "5");
        room.system(new Disconnect("bo", "n/bo"));
        assertThat(room.state.everyVoterVoted()).isFalse();

        room.accept("bo", new UpdateSelf(null, Role.OBSERVER));

        assertThat(room.state.everyVoterVoted()).isTrue();
    }

    @Test
    void switchingToObserverWithdrawsTheHiddenVote() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        room.accept("fac", new StartQuickRound());
        room.vote("ana", "5");

        room.accept("ana", new UpdateSelf("Ana B", Role.OBSERVER));

        assertThat(room.state.round().votes()).isEmpty();
        assertThat(room.state.participants().get("ana").name()).isEqualTo("Ana B");
    }

    @Test
    void facilitatorRoleCanBeHandedOverAndIsFreedWhenTheFacilitatorLeaves() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");

        room.accept("fac", new TransferFacilitator("ana"));
        assertThat(room.state.facilitatorId()).isEqualTo("ana");
        assertThat(room.reject("fac", new Reveal())).isEqualTo("not_facilitator");

        room.accept("ana", new Leave());
        assertThat(room.state.facilitatorId()).isNull();
    }

    @Test
    void aRemovedParticipantIsGoneWithTheirVote() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        room.accept("fac", new StartQuickRound());
        room.vote("bo", "3");

        room.accept("fac", new RemoveParticipant("bo"));

        assertThat(room.state.participants()).doesNotContainKey("bo");
        assertThat(room.state.round().votes()).isEmpty();
        assertThat(room.reject("fac", new RemoveParticipant("fac"))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new RemoveParticipant("nobody"))).isEqualTo("unknown_participant");
    }

    @Test
    void aRemovedParticipantsTokenIsKeptOutUntilTheirTimeIsUpOrTheFacilitatorLetsThemBackIn() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        long now = 1_000_000;

        room.accept("fac", new RemoveParticipant("bo", now + 60_000));

        assertThat(room.state.keptOut()).extracting(RoomState.KeptOut::participantId).containsExactly("bo");
        Join comingBack = new Join("bo2", "Bo", Role.VOTER, "t-new", "n/bo2", "t-bo", now + 59_999);
        assertThat(room.reject(null, comingBack)).isEqualTo("removed");
        assertThat(room.decide(null, new Join("bo2", "Bo", Role.VOTER, "t-new", "n/bo2", "t-bo", now + 60_000)))
                .as("once the time is up").isInstanceOf(Decision.Accepted.class);
        assertThat(room.decide(null, new Join("x", "X", Role.VOTER, "t-x", "n/x", "t-unknown", now)))
                .as("someone else's old token").isInstanceOf(Decision.Accepted.class);

        assertThat(room.reject("ana", new Readmit("bo"))).isEqualTo("not_facilitator");
        assertThat(room.reject("fac", new Readmit("ana"))).isEqualTo("unknown_participant");
        room.accept("fac", new Readmit("bo"));

        assertThat(room.state.keptOut()).isEmpty();
        room.system(comingBack);
        assertThat(room.state.participants()).containsKey("bo2");
    }

    @Test
    void aRoomKeepsOutAtMostItsLatestRemovals() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters();
        for (int i = 0; i <= RoomState.MAX_KEPT_OUT; i++) {
            room.system(new Join("p" + i, "P" + i, Role.VOTER, "t-p" + i, "n/p" + i));
            room.accept("fac", new RemoveParticipant("p" + i, Long.MAX_VALUE));
        }

        assertThat(room.state.keptOut()).hasSize(RoomState.MAX_KEPT_OUT);
        assertThat(room.state.keptOut().get(0).participantId()).as("the oldest is forgotten").isEqualTo("p1");
    }

    @Test
    void aDeletedRoomHoldsNothingAndRefusesEverything() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        room.addItem("Secret");
        room.accept("fac", new SelectItem("i1"));
        room.vote("ana", "5");
        assertThat(room.reject("ana", new DeleteRoom())).isEqualTo("not_facilitator");

        room.accept("fac", new DeleteRoom());

        assertThat(room.state.deleted()).isTrue();
        assertThat(room.state.participants()).isEmpty();
        assertThat(room.state.items()).isEmpty();
        assertThat(room.state.round()).isNull();
        assertThat(room.reject(null, new Join("bo", "Bo", Role.VOTER, "t-bo", "n/bo"))).isEqualTo("room_deleted");
        assertThat(room.reject(null, new DeleteRoom())).isEqualTo("room_deleted");
        assertThat(room.reject("fac", new Reveal())).isEqualTo("room_deleted");
    }

    @Test
    void theServiceDeletesARoomForTheHolderOfItsKey() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");

        room.system(new DeleteRoom());

        assertThat(room.state.deleted()).isTrue();
    }

    @Test
    void aRoomsBacklogTextIsBoundedAndAnEditThatShortensItIsAlwaysAllowed() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String longText = "x".repeat(Text.MAX_LONG_TEXT);
        int added = 0;
        while (room.decide("fac", new AddItem("Item", longText, longText, null)) instanceof Decision.Accepted) {
            room.accept("fac", new AddItem("Item", longText, longText, null));
            added++;
        }

        assertThat(room.reject("fac", new AddItem("Item", longText, longText, null))).isEqualTo("backlog_full");
        assertThat(added).isEqualTo(RoomState.MAX_BACKLOG_TEXT / (2 * Text.MAX_LONG_TEXT + 4));
        assertThat(room.state.backlogText()).isLessThanOrEqualTo(RoomState.MAX_BACKLOG_TEXT);
        room.accept("fac", new UpdateItem("i1", null, "short", null, null));
        for (int free; (free = RoomState.MAX_BACKLOG_TEXT - room.state.backlogText()) > 0;) {
            int text = Math.min(free - "Filler".length(), Text.MAX_LONG_TEXT);
            room.accept("fac", new AddItem("Filler", "f".repeat(text), null, null));
        }
        assertThat(room.state.backlogText()).isEqualTo(RoomState.MAX_BACKLOG_TEXT);

        assertThat(room.reject("fac", new UpdateItem("i1", null, "short!", null, null))).isEqualTo("backlog_full");
        room.accept("fac", new UpdateItem("i1", null, "shor", null, null));
    }

    @Test
    void aRoomKeepsABoundedNumberOfRevealedRounds() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        int items = RoomState.MAX_ROUNDS_PER_ROOM / RoomState.MAX_ROUNDS_PER_ITEM;
        for (int i = 1; i <= items; i++) {
            String itemId = room.addItem("Item " + i);
            for (int r = 0; r < RoomState.MAX_ROUNDS_PER_ITEM; r++) {
                room.accept("fac", new SelectItem(itemId));
                room.vote("ana", "3");
                room.accept("fac", new Reveal());
            }
        }
        String extra = room.addItem("One too many");

        assertThat(room.state.itemRounds()).isEqualTo(RoomState.MAX_ROUNDS_PER_ROOM);
        assertThat(room.reject("fac", new SelectItem(extra))).isEqualTo("too_many_rounds");
        room.accept("fac", new StartQuickRound());
    }

    @Test
    void theItemOfTheOpenRoundCannotBeRemoved() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Export CSV");
        room.accept("fac", new SelectItem(item));

        assertThat(room.reject("fac", new RemoveItem(item))).isEqualTo("item_in_round");
        room.accept("fac", new StartQuickRound());
        room.accept("fac", new RemoveItem(item));
        assertThat(room.state.items()).isEmpty();
        assertThat(room.reject("fac", new SelectItem(item))).isEqualTo("unknown_item");
    }

    @Test
    void quickRoundsNeedNoItemAndKeepARecentHistory() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        for (int i = 0; i < RoomState.MAX_QUICK_ROUNDS_KEPT + 3; i++) {
            room.accept("fac", new StartQuickRound());
            room.vote("ana", "2");
            room.accept("fac", new Reveal());
        }

        assertThat(room.state.quickRounds()).hasSize(RoomState.MAX_QUICK_ROUNDS_KEPT);
        assertThat(room.state.round().itemId()).isNull();
    }

    @Test
    void itemTextIsCheckedAndEditable() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        assertThat(room.reject("fac", new AddItem("", null, null, null))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new AddItem("t", "x".repeat(Text.MAX_LONG_TEXT + 1), null, null)))
                .isEqualTo("invalid_value");
        String item = room.addItem("Export CSV");

        room.accept("fac", new UpdateItem(item, null, null, "Line one\nLine two", "JIRA-12"));

        BacklogItem edited = room.state.item(item).orElseThrow();
        assertThat(edited.title()).isEqualTo("Export CSV");
        assertThat(edited.acceptanceCriteria()).isEqualTo("Line one\nLine two");
        assertThat(edited.reference()).isEqualTo("JIRA-12");
    }

    @Test
    void theFacilitatorKeyIsClaimedOnlyThroughTheService() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");

        assertThat(room.reject("ana", new RoomCommand.ClaimFacilitator("ana"))).isEqualTo("not_allowed");
        room.system(new RoomCommand.ClaimFacilitator("ana"));
        assertThat(room.state.isFacilitator("ana")).isTrue();
    }
}

package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.RoomCommand.AddItem;
import dev.readyroom.domain.RoomCommand.ChecklistChange;
import dev.readyroom.domain.RoomCommand.MoveItem;
import dev.readyroom.domain.RoomCommand.NewItem;
import dev.readyroom.domain.RoomCommand.ResolveFlag;
import dev.readyroom.domain.RoomCommand.Reveal;
import dev.readyroom.domain.RoomCommand.Revote;
import dev.readyroom.domain.RoomCommand.SelectItem;
import dev.readyroom.domain.RoomCommand.SettleEstimate;
import dev.readyroom.domain.RoomCommand.SplitItem;
import dev.readyroom.domain.RoomCommand.UpdateItem;
import dev.readyroom.domain.RoomCommand.UpdateSettings;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refinement around the rounds: unknowns until resolved, the checklist, split, order, the runway. */
class RefinementRulesTest {

    @Test
    void aRevoteWithoutFlagsLeavesTheUnknownsThatWereNeverResolvedOpen() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Checkout");
        room.accept("fac", new SelectItem(item));
        room.vote("ana", "5", Flag.RISK, Flag.TOO_BIG);
        room.accept("fac", new Reveal());
        room.accept("fac", new ResolveFlag(item, Flag.RISK, "Ops agreed to the window"));
        room.accept("fac", new Revote());
        room.vote("ana", "5");
        room.accept("fac", new Reveal());
        room.accept("fac", new SettleEstimate(item, "5"));

        BacklogItem settled = room.state.item(item).orElseThrow();
        assertThat(settled.openFlags()).containsExactly(Flag.TOO_BIG);
        assertThat(settled.resolutions()).containsExactly(new BacklogItem.Resolution(Flag.RISK,
                "Ops agreed to the window"));
        assertThat(room.readiness(item).ready()).isFalse();
        assertThat(room.readiness(item).missing()).containsExactly("too-big", "flag:too-big");
    }

    @Test
    void anUnknownRaisedAgainIsOpenAgainAndItsNewResolutionReplacesTheOld() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Checkout");
        playRound(room, item, "3", Flag.SCOPE);
        room.accept("fac", new ResolveFlag(item, Flag.SCOPE, "Only cards"));
        assertThat(room.state.item(item).orElseThrow().resolvedFlags()).containsExactly(Flag.SCOPE);

        room.accept("fac", new Revote());
        room.vote("ana", "5", Flag.SCOPE);
        room.accept("fac", new Reveal());

        assertThat(room.state.item(item).orElseThrow().openFlags()).containsExactly(Flag.SCOPE);
        assertThat(room.state.item(item).orElseThrow().resolvedFlags()).isEmpty();
        room.accept("fac", new ResolveFlag(item, Flag.SCOPE, null));
        assertThat(room.state.item(item).orElseThrow().resolutions())
                .containsExactly(new BacklogItem.Resolution(Flag.SCOPE, null));
        assertThat(room.reject("fac", new ResolveFlag(item, Flag.RISK, "x"))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new ResolveFlag(item, Flag.SCOPE, "n".repeat(Text.MAX_NOTE + 1))))
                .isEqualTo("invalid_value");
    }

    @Test
    void theChecklistNamesWhatEachCheckMissesAndLeavesOutTheChecksSwitchedOff() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        room.accept("fac", new AddItem("Bare", null, null, null));

        Readiness bare = room.readiness("i1");
        assertThat(bare.checks()).extracting(Readiness.Check::id)
                .containsExactly("definition", "value", "size", "risks");
        assertThat(bare.checks()).extracting(Readiness.Check::missing).containsExactly(List.of("acceptance"),
                List.of("value"), List.of("estimate"), List.of());
        assertThat(room.state.settings().readiness().maxEstimate()).as("the Fibonacci card nearest 8").isEqualTo("8");

        room.accept("fac", new UpdateItem("i1", null, null, "Given a cart, when I pay, then I get a receipt", null,
                "Shoppers stop abandoning carts; fewer support calls", null));
        room.accept("fac", new SettleEstimate("i1", "13"));
        assertThat(room.readiness("i1").missing()).containsExactly("above-max");

        room.accept("fac", new UpdateSettings(null, new ChecklistChange(null, false, null, null, "13"), false, null));

        assertThat(room.readiness("i1").ready()).isTrue();
        assertThat(room.readiness("i1").checks()).extracting(Readiness.Check::id)
                .containsExactly("definition", "size", "risks");
        assertThat(room.state.settings().autoReveal()).as("left as it was").isFalse();
    }

    @Test
    void settingsChangeOnlyWhatIsGivenAndBadValuesChangeNothing() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        room.accept("fac", new UpdateSettings(true));
        room.accept("fac", new UpdateSettings(null, null, true, 21.5));

        assertThat(room.state.settings().autoReveal()).isTrue();
        assertThat(room.state.settings().velocity()).isEqualTo(21.5);
        assertThat(room.reject("fac", new UpdateSettings(null, null, false, null))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new UpdateSettings(null, null, true, 0.0))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new UpdateSettings(null, new ChecklistChange(null, null, null, null, "7"),
                false, null))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new UpdateSettings(null, new ChecklistChange(null, null, null, null, "?"),
                false, null))).isEqualTo("invalid_value");
        assertThat(room.reject("ana", new UpdateSettings(false))).isEqualTo("not_facilitator");
        room.accept("fac", new UpdateSettings(null, null, true, null));
        assertThat(room.state.settings().velocity()).isNull();
        assertThat(room.state.settings().autoReveal()).isTrue();
    }

    @Test
    void aTShirtDecksLargestSprintSizeIsL() {
        RoomState tshirt = RoomState.create("r", "Sizes", Decks.TSHIRT, new Settings(false), "h", 10);

        assertThat(tshirt.settings().readiness().maxEstimate()).isEqualTo("L");
    }

    @Test
    void aSplitPlacesTheChildrenRightAfterTheParentWhichIsNeverVotedOnAgain() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String epic = room.addItem("Checkout");
        String next = room.addItem("Search");
        playRound(room, epic, "21", Flag.TOO_BIG);
        assertThat(room.readiness(epic).missing()).contains("estimate", "too-big");

        room.accept("fac", new SplitItem(epic, List.of(new NewItem("Pay by card", null, "Card accepted", "Most pay so"),
                new NewItem("Pay by invoice", null, null, null))));

        assertThat(room.state.items()).extracting(BacklogItem::id).containsExactly(epic, "i3", "i4", next);
        assertThat(room.state.items().get(1).parentId()).isEqualTo(epic);
        assertThat(room.state.items().get(1).value()).isEqualTo("Most pay so");
        assertThat(RoomView.of(room.state, null).items().get(0).status()).isEqualTo("split");
        assertThat(RoomView.of(room.state, null).items().get(1).status()).isEqualTo("pending");
        assertThat(room.reject("fac", new SelectItem(epic))).isEqualTo("item_split");
        assertThat(room.reject("fac", new SettleEstimate(epic, "8"))).isEqualTo("item_split");
        assertThat(room.reject("fac", new SplitItem(epic, twoParts()))).isEqualTo("item_split");
        assertThat(room.reject("fac", new Revote())).as("the round just revealed was on it").isEqualTo("item_split");
    }

    @Test
    void aSplitHasTwoToTenPartsAndNeverTheItemOfTheOpenRound() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String item = room.addItem("Checkout");

        assertThat(room.reject("fac", new SplitItem(item, List.of(new NewItem("One", null, null, null)))))
                .isEqualTo("invalid_value");
        assertThat(room.reject("fac", new SplitItem(item, Collections.nCopies(11, new NewItem("Part", null, null,
                null))))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new SplitItem(item, List.of(new NewItem("Part", null, null, null),
                new NewItem(" ", null, null, null))))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new SplitItem("i-missing", twoParts()))).isEqualTo("unknown_item");
        assertThat(room.reject("ana", new SplitItem(item, twoParts()))).isEqualTo("not_facilitator");
        room.accept("fac", new SelectItem(item));
        assertThat(room.reject("fac", new SplitItem(item, twoParts()))).isEqualTo("item_in_round");
        room.vote("ana", "13");
        room.accept("fac", new Reveal());
        room.accept("fac", new SplitItem(item, Collections.nCopies(10, new NewItem("Part", null, null, null))));
        assertThat(room.state.items()).hasSize(11);
    }

    @Test
    void theBacklogsOrderIsItsPriority() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String first = room.addItem("First");
        String second = room.addItem("Second");
        String third = room.addItem("Third");

        room.accept("fac", new MoveItem(third, 0));

        assertThat(room.state.items()).extracting(BacklogItem::id).containsExactly(third, first, second);
        room.accept("fac", new MoveItem(third, 2));
        assertThat(room.state.items()).extracting(BacklogItem::id).containsExactly(first, second, third);
        assertThat(room.reject("fac", new MoveItem(first, 3))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new MoveItem(first, -1))).isEqualTo("invalid_value");
        assertThat(room.reject("fac", new MoveItem("i-missing", 0))).isEqualTo("unknown_item");
        assertThat(room.reject("ana", new MoveItem(first, 1))).isEqualTo("not_facilitator");
    }

    @Test
    void theRunwayCountsReadyWorkAgainstThe353TargetsAndLeavesSplitItemsOut() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        String small = room.addItem("Small");
        String medium = room.addItem("Medium");
        String huge = room.addItem("Huge");
        room.addItem("Not yet sized");
        room.accept("fac", new SettleEstimate(small, "3"));
        room.accept("fac", new SettleEstimate(medium, "8"));
        room.accept("fac", new SettleEstimate(huge, "21"));

        Runway withoutVelocity = Runway.of(room.state);
        assertThat(withoutVelocity.readyItems()).isEqualTo(2);
        assertThat(withoutVelocity.readyPoints()).isEqualTo(11.0);
        assertThat(withoutVelocity.sprints()).isNull();
        assertThat(withoutVelocity.oversized()).isEqualTo(1);
        assertThat(withoutVelocity.targets()).isEqualTo(new Runway.Targets(3, 5));

        room.accept("fac", new UpdateSettings(null, null, true, 4.0));
        room.accept("fac", new SplitItem(huge, twoParts()));

        Runway runway = RoomView.of(room.state, null).runway();
        assertThat(runway.sprints()).isEqualTo(2.75);
        assertThat(runway.oversized()).as("the split item is out of the runway").isZero();
    }

    private static List<NewItem> twoParts() {
        return List.of(new NewItem("Part one", null, null, null), new NewItem("Part two", null, null, null));
    }

    private static void playRound(RoomFixture room, String item, String vote, Flag... flags) {
        room.accept("fac", new SelectItem(item));
        room.vote("ana", vote, flags);
        room.accept("fac", new Reveal());
    }
}

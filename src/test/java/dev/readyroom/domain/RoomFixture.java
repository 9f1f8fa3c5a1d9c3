package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** A room driven through decide and apply, as the service does, for readable domain tests. */
final class RoomFixture {
    RoomState state;

    RoomFixture(Deck deck) {
        state = RoomState.create("room", "Refinement", deck, new Settings(false), "key-hash", 100);
    }

    static RoomFixture withFacilitatorAndVoters(String... voters) {
        RoomFixture room = new RoomFixture(Decks.FIBONACCI);
        room.system(new RoomCommand.Join("fac", "Fran", Role.OBSERVER, "t-fac", "n/fac"));
        room.system(new RoomCommand.ClaimFacilitator("fac"));
        for (String voter : voters) {
            room.system(new RoomCommand.Join(voter, voter.toUpperCase(), Role.VOTER, "t-" + voter, "n/" + voter));
        }
        return room;
    }

    Decision decide(String actor, RoomCommand command) {
        return RoomRules.decide(state, command, actor == null ? Actor.SYSTEM : Actor.participant(actor));
    }

    RoomEvent accept(String actor, RoomCommand command) {
        Decision decision = decide(actor, command);
        assertThat(decision).as("decision on %s", command).isInstanceOf(Decision.Accepted.class);
        RoomEvent event = ((Decision.Accepted) decision).event();
        long before = state.version();
        state = RoomRules.apply(state, event);
        assertThat(state.version()).isEqualTo(before + 1);
        return event;
    }

    RoomEvent system(RoomCommand command) {
        return accept(null, command);
    }

    String reject(String actor, RoomCommand command) {
        Decision decision = decide(actor, command);
        assertThat(decision).as("decision on %s", command).isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected) decision).code();
    }

    String addItem(String title) {
        RoomEvent.ItemAdded added = (RoomEvent.ItemAdded) accept("fac",
                new RoomCommand.AddItem(title, "Why: " + title, "Given, when, then", null, "So that " + title
                        + " ships", null));
        return added.item().id();
    }

    /** The item's readiness by the room's checklist. */
    Readiness readiness(String itemId) {
        return Readiness.of(state.item(itemId).orElseThrow(), state.deck(), state.settings().readiness());
    }

    void vote(String voter, String value, Flag... flags) {
        accept(voter, new RoomCommand.CastVote(value, List.of(flags)));
    }
}

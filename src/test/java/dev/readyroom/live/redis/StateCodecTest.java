package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.Actor;
import dev.readyroom.domain.Decision;
import dev.readyroom.domain.Decks;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.Role;
import dev.readyroom.domain.RoomCommand;
import dev.readyroom.domain.RoomRules;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.PublishedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private final StateCodec codec = new StateCodec();

    private static RoomState apply(RoomState state, RoomCommand command, Actor actor) {
        Decision decision = RoomRules.decide(state, command, actor);
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        return RoomRules.apply(state, ((Decision.Accepted) decision).event());
    }

    /** A room with participants, a revealed round in an item's history, and an open round with hidden votes. */
    private static RoomState playedRoom() {
        RoomState state = RoomState.create("room1", "Team", Decks.MODIFIED_FIBONACCI, new Settings(false), "hash", 100);
        state = apply(state, new RoomCommand.Join("pa", "Ana", Role.VOTER, "ta", "n/1"), Actor.SYSTEM);
        state = apply(state, new RoomCommand.Join("pb", "Bo", Role.VOTER, "tb", "n/2"), Actor.SYSTEM);
        state = apply(state, new RoomCommand.ClaimFacilitator("pa"), Actor.SYSTEM);
        Actor ana = Actor.participant("pa");
        Actor bo = Actor.participant("pb");
        state = apply(state, new RoomCommand.AddItem("Export", "CSV", "Given...", "JIRA-1"), ana);
        String itemId = state.items().get(0).id();
        state = apply(state, new RoomCommand.SelectItem(itemId), ana);
        state = apply(state, new RoomCommand.CastVote("1/2", List.of(Flag.RISK, Flag.TOO_BIG)), ana);
        state = apply(state, new RoomCommand.CastVote("13", List.of()), bo);
        state = apply(state, new RoomCommand.Reveal(), ana);
        state = apply(state, new RoomCommand.Revote(), ana);
        return apply(state, new RoomCommand.CastVote("?", List.of(Flag.SCOPE)), bo);
    }

    @Test
    void aRoomStateSurvivesTheTripThroughRedisUnchangedInItsTwoParts() {
        RoomState state = playedRoom();
        assertThat(state.round().votes()).containsKey("pb");
        assertThat(state.items().get(0).rounds().get(0).stats()).isNotNull();

        RoomState read = StateCodec.withItems(codec.readHead(codec.writeHead(state)),
                codec.readItems(codec.writeItems(state.items())));

        assertThat(read).isEqualTo(state);
        assertThat(read.round().votes().get("pb").flags()).containsExactly(Flag.SCOPE);
        assertThat(read.deck().cards()).isEqualTo(Decks.MODIFIED_FIBONACCI.cards());
        assertThat(List.copyOf(read.participants().keySet())).containsExactly("pa", "pb");
    }

    /** Pre-votes, notes, the scribe, the timebox and pre-voting itself are kept in Redis too. */
    @Test
    void aMeetingsStateSurvivesTheTripThroughRedis() {
        RoomState state = playedRoom();
        Actor ana = Actor.participant("pa");
        state = apply(state, new RoomCommand.UpdateSettings(null, null, false, null, true), ana);
        state = apply(state, new RoomCommand.AddItem("Import", null, null, null), ana);
        state = apply(state, new RoomCommand.CastPreVote("i2", "8", List.of(Flag.DEPENDENCY)),
                Actor.participant("pb"));
        state = apply(state, new RoomCommand.NameScribe("pb"), ana);
        state = apply(state, new RoomCommand.AddNote("i1", "Half a day: the report exists"), Actor.participant("pb"));
        state = apply(state, new RoomCommand.StartTimebox(5, 1_765_000_000_000L), ana);

        RoomState read = StateCodec.withItems(codec.readHead(codec.writeHead(state)),
                codec.readItems(codec.writeItems(state.items())));

        assertThat(read).isEqualTo(state);
        assertThat(read.settings().preVoting()).isTrue();
        assertThat(read.scribeId()).isEqualTo("pb");
        assertThat(read.timebox().endsAt()).isEqualTo(1_765_000_300_000L);
        assertThat(read.items().get(1).preVotes().get(0).vote().flags()).containsExactly(Flag.DEPENDENCY);
        assertThat(read.items().get(0).notes().get(0).text()).isEqualTo("Half a day: the report exists");
    }

    @Test
    void anEventKeepsItsBytesThroughTheCodec() {
        PublishedEvent event = new PublishedEvent("room1", "e1-_x", 42, EventType.VOTE_CAST,
                "{\"type\":\"vote.cast\",\"epoch\":\"e1-_x\",\"version\":42,\"participantId\":\"p a\"}");

        assertThat(EventCodec.decode("room1", EventCodec.encode(event))).isEqualTo(event);
    }
}

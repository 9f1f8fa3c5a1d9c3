package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomStateTest {

    @Test
    void participantsAreSharedByChangesThatKeepThemAndCopiedByChangesThatMakeThem() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana", "bo");
        String item = room.addItem("Export CSV");
        room.accept("fac", new RoomCommand.SelectItem(item));
        RoomState beforeVote = room.state;

        room.vote("ana", "5");
        assertThat(room.state.participants()).isSameAs(beforeVote.participants());

        room.system(new RoomCommand.Join("cy", "Cy", Role.VOTER, "t-cy", "n/cy"));
        assertThat(room.state.participants()).isNotSameAs(beforeVote.participants()).containsKey("cy");
        assertThat(beforeVote.participants()).doesNotContainKey("cy").containsKeys("fac", "ana", "bo");
    }

    @Test
    void participantsAreReadOnlyAndIndependentOfTheMapTheyCameFrom() {
        RoomState state = RoomFixture.withFacilitatorAndVoters("ana").state;
        Map<String, Participant> source = new LinkedHashMap<>(state.participants());
        RoomState copy = new RoomState(state.id(), state.name(), state.deck(), state.settings(),
                state.facilitatorKeyHash(), state.facilitatorId(), source, state.items(), state.round(),
                state.quickRounds(), state.lastRoundNumber(), state.lastItemNumber(), state.maxParticipants(),
                state.version(), state.notice(), state.keptOut(), state.deleted());
        source.remove("ana");

        assertThat(copy.participants()).containsKey("ana").isEqualTo(state.participants());
        assertThat(copy.participants().keySet()).containsExactly("fac", "ana");
        assertThatThrownBy(() -> copy.participants().remove("ana")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.participants().put("x", state.participants().get("ana")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.participants().entrySet().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aChangeMakesTheNextVersionOnceWhateverItChangesAndLeavesTheOldStateAlone() {
        RoomState state = RoomFixture.withFacilitatorAndVoters("ana", "bo").state;

        RoomState next = state.change().withoutParticipant("fac").withFacilitator(null)
                .withSettings(new Settings(true)).withLastRoundNumber(7).nextVersion();

        assertThat(next.version()).isEqualTo(state.version() + 1);
        assertThat(next.participants().keySet()).containsExactly("ana", "bo");
        assertThat(next.facilitatorId()).isNull();
        assertThat(next.settings().autoReveal()).isTrue();
        assertThat(next.lastRoundNumber()).isEqualTo(7);
        assertThat(next.items()).isSameAs(state.items());
        assertThat(state.participants().keySet()).containsExactly("fac", "ana", "bo");
        assertThat(state.facilitatorId()).isEqualTo("fac");
    }

    @Test
    void aStateKeepsItsParticipantsWhenTheChangeThatMadeItEditsThemAgain() {
        RoomState state = RoomFixture.withFacilitatorAndVoters("ana").state;
        RoomState.Change change = state.change().withoutParticipant("fac");

        RoomState first = change.nextVersion();
        change.withoutParticipant("ana");

        assertThat(first.participants().keySet()).containsExactly("ana");
        assertThat(change.nextVersion().participants()).isEmpty();
    }
}

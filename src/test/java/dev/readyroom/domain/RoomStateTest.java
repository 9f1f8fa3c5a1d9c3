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
        RoomState copy = state.withParticipants(source);
        source.remove("ana");

        assertThat(copy.participants()).containsKey("ana").isEqualTo(state.participants());
        assertThat(copy.participants().keySet()).containsExactly("fac", "ana");
        assertThatThrownBy(() -> copy.participants().remove("ana")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.participants().put("x", state.participants().get("ana")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.participants().entrySet().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}

package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImportItemRulesTest {

    @Test
    void theServiceImportsItemsWithTheRulesOfItemAdd() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        RoomEvent event = room.system(new RoomCommand.ImportItem("From Jira", "Why", null, "SHOP-12"));
        assertThat(event).isInstanceOf(RoomEvent.ItemAdded.class);
        assertThat(room.state.items()).extracting(BacklogItem::reference).containsExactly("SHOP-12");
        assertThat(room.decide(null, new RoomCommand.ImportItem(" ", null, null, null)))
                .isInstanceOf(Decision.Rejected.class);
    }

    @Test
    void noParticipantGivesTheImportCommandNotEvenTheFacilitator() {
        RoomFixture room = RoomFixture.withFacilitatorAndVoters("ana");
        assertThat(room.reject("fac", new RoomCommand.ImportItem("x", null, null, null))).isEqualTo("not_allowed");
        assertThat(room.reject("ana", new RoomCommand.ImportItem("x", null, null, null))).isEqualTo("not_allowed");
    }
}

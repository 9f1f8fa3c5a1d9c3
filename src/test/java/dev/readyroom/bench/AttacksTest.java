package dev.readyroom.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttacksTest {

    @Test
    void allIsTheControlThenEachAttackOfTheIssueOnceWithWhatItDidBefore() {
        List<Attack> all = Attacks.named("all");

        assertThat(all).extracting(Attack::name).containsExactly("control", "ping-flood", "history-update",
                "refused-echo", "silent-sockets", "room-burst", "token-reconnects", "bogus-imports", "hundred-voters");
        assertThat(all).allSatisfy(attack -> assertThat(attack.before()).isNotBlank());
    }

    @Test
    void attacksAreNamedOneByOneAndAnUnknownNameIsRefusedWithTheNamesThereAre() {
        assertThat(Attacks.named("room-burst,control")).extracting(Attack::name)
                .containsExactly("room-burst", "control");
        assertThatThrownBy(() -> Attacks.named("slowloris"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown attack slowloris")
                .hasMessageContaining("ping-flood");
    }

    @Test
    void aClientFrameIsMaskedAsRfc6455Says() {
        byte[] frame = Attacker.frame(0x9, "ping".getBytes(StandardCharsets.US_ASCII));

        assertThat(frame[0]).isEqualTo((byte) 0x89);
        assertThat(frame[1]).isEqualTo((byte) (0x80 | 4));
        for (int i = 0; i < 4; i++) {
            assertThat((byte) (frame[6 + i] ^ frame[2 + i])).isEqualTo((byte) "ping".charAt(i));
        }
    }

    @Test
    void theHonestRoomsArePlayedLongEnoughForAnAttackOfAboutThirtySeconds() {
        Scenario honest = Attacks.HONEST;

        assertThat(honest.rooms() * honest.perRoom()).isEqualTo(200);
        assertThat(honest.measuredRounds() * honest.roundMillis()).isBetween(25_000L, 35_000L);
    }
}

package dev.readyroom.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void anyKneeStepIsTheKneesRoomsAtThatRoundLengthWithAboutThirtySecondsMeasured() {
        Scenario step = Scenario.named("S4-1.75s").get(0);

        assertThat(step.name()).isEqualTo("S4-1.75s");
        assertThat(step.rooms()).isEqualTo(1_000);
        assertThat(step.perRoom()).isEqualTo(10);
        assertThat(step.roundMillis()).isEqualTo(1_750);
        assertThat(step.warmRounds()).isEqualTo(3);
        assertThat(step.measuredRounds()).isEqualTo(18);
        assertThat(step.staggerMillis()).isEqualTo(1_750);
    }

    @Test
    void theStepsOfEarlierRunsKeepTheirRounds() {
        assertThat(Scenario.named("S4-8s").get(0).measuredRounds()).isEqualTo(4);
        assertThat(Scenario.named("S4-5s").get(0).measuredRounds()).isEqualTo(7);
        assertThat(Scenario.named("S4-3s").get(0).measuredRounds()).isEqualTo(10);
        assertThat(Scenario.named("S4-2.5s").get(0).measuredRounds()).isEqualTo(12);
        assertThat(Scenario.named("S4-2s").get(0).measuredRounds()).isEqualTo(15);
    }

    @Test
    void aHistoryScenarioIsItsScenarioPlayedOnOneItemWithThirtyRevealedRounds() {
        Scenario s2 = Scenario.named("S2").get(0);
        Scenario history = Scenario.named("S2-history").get(0);

        assertThat(history).isEqualTo(new Scenario("S2-history", s2.rooms(), s2.perRoom(), s2.roundMillis(),
                s2.warmRounds(), s2.measuredRounds(), s2.staggerMillis(), 30));
        assertThat(history.itemOfRound(4)).isZero();
        assertThat(s2.historyRounds()).isZero();
        assertThat(s2.itemOfRound(4)).isEqualTo(4);
        assertThat(Scenario.named("S1-history").get(0).historyRounds()).isEqualTo(30);
    }

    @Test
    void aStepThatIsNotARoundLengthIsRefusedWithTheScenariosThereAre() {
        assertThatThrownBy(() -> Scenario.named("S4-fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("S4-<seconds>s");
        assertThatThrownBy(() -> Scenario.named("S4-0.1s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 0.5 s");
        assertThatThrownBy(() -> Scenario.named("S5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown scenario S5");
    }
}

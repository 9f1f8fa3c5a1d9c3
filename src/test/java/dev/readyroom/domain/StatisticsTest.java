package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static List<RevealedVote> votes(String... values) {
        List<RevealedVote> votes = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            votes.add(new RevealedVote("p" + i, "Person " + i, values[i], List.of()));
        }
        return votes;
    }

    @Test
    void averageAndMedianCountOnlyNumericEstimateCards() {
        RevealStats stats = Statistics.compute(Decks.FIBONACCI, votes("3", "5", "8", "?", "coffee"));

        assertThat(stats.votes()).isEqualTo(5);
        assertThat(stats.numericVotes()).isEqualTo(3);
        assertThat(stats.average()).isEqualTo(5.33);
        assertThat(stats.median()).isEqualTo(5.0);
        assertThat(stats.min()).isEqualTo("3");
        assertThat(stats.max()).isEqualTo("8");
        assertThat(stats.spread()).isEqualTo(2);
        assertThat(stats.consensus()).isFalse();
        assertThat(stats.distribution()).extracting(RevealStats.CardCount::value)
                .containsExactly("3", "5", "8", "?", "coffee");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        RevealStats stats = Statistics.compute(Decks.FIBONACCI, votes("2", "3", "5", "13"));

        assertThat(stats.median()).isEqualTo(4.0);
        assertThat(stats.suggestion()).isEqualTo("5");
    }

    @Test
    void equalEstimatesAreConsensusWithNoOutliers() {
        RevealStats stats = Statistics.compute(Decks.FIBONACCI, votes("5", "5", "?"));

        assertThat(stats.consensus()).isTrue();
        assertThat(stats.spread()).isZero();
        assertThat(stats.suggestion()).isEqualTo("5");
        assertThat(stats.outliers().low()).isEmpty();
        assertThat(stats.outliers().high()).isEmpty();
    }

    @Test
    void oneEstimateBesideAnUnsureVoteIsNoConsensus() {
        RevealStats stats = Statistics.compute(Decks.FIBONACCI, votes("21", "?"));

        assertThat(stats.consensus()).isFalse();
        assertThat(stats.spread()).isZero();
        assertThat(stats.suggestion()).as("the only estimate is still the one to propose").isEqualTo("21");
    }

    @Test
    void aSingleVoteIsNoConsensus() {
        assertThat(Statistics.compute(Decks.TSHIRT, votes("M")).consensus()).isFalse();
        assertThat(Statistics.compute(Decks.TSHIRT, votes("M", "M", "coffee")).consensus()).isTrue();
    }

    @Test
    void outliersAreNamedFromTwoDeckStepsApart() {
        RevealStats oneStep = Statistics.compute(Decks.FIBONACCI, votes("3", "5", "5"));
        RevealStats threeSteps = Statistics.compute(Decks.FIBONACCI, votes("2", "5", "13", "13"));

        assertThat(oneStep.outliers()).isEqualTo(RevealStats.Outliers.NONE);
        assertThat(threeSteps.spread()).isEqualTo(4);
        assertThat(threeSteps.outliers().low()).containsExactly("p0");
        assertThat(threeSteps.outliers().high()).containsExactly("p2", "p3");
    }

    @Test
    void fractionsCountAsNumbers() {
        RevealStats stats = Statistics.compute(Decks.MODIFIED_FIBONACCI, votes("1/2", "1", "1/2"));

        assertThat(stats.average()).isEqualTo(0.67);
        assertThat(stats.median()).isEqualTo(0.5);
        assertThat(stats.min()).isEqualTo("1/2");
        assertThat(stats.spread()).isEqualTo(1);
    }

    @Test
    void tshirtSizesHaveNoAverageButStillSpreadAndSuggestion() {
        RevealStats stats = Statistics.compute(Decks.TSHIRT, votes("S", "M", "XL"));

        assertThat(stats.average()).isNull();
        assertThat(stats.median()).isNull();
        assertThat(stats.min()).isEqualTo("S");
        assertThat(stats.max()).isEqualTo("XL");
        assertThat(stats.spread()).isEqualTo(3);
        assertThat(stats.suggestion()).isEqualTo("M");
        assertThat(stats.outliers().low()).containsExactly("p0");
    }

    @Test
    void onlyUnknownCardsGiveNoEstimateFigures() {
        RevealStats stats = Statistics.compute(Decks.FIBONACCI, votes("?", "coffee"));

        assertThat(stats.min()).isNull();
        assertThat(stats.spread()).isNull();
        assertThat(stats.consensus()).isFalse();
        assertThat(stats.suggestion()).isNull();
    }

    @Test
    void flagsAreCountedPerFlag() {
        List<RevealedVote> votes = List.of(
                new RevealedVote("a", "Ana", "3", List.of(Flag.SCOPE, Flag.RISK)),
                new RevealedVote("b", "Bo", "8", List.of(Flag.SCOPE)));

        assertThat(Statistics.compute(Decks.FIBONACCI, votes).flags()).containsEntry("scope", 2)
                .containsEntry("risk", 1).hasSize(2);
    }

    @Test
    void suggestionRoundsUpOnATie() {
        // Median 4 is as far from 3 as from 5: under-estimating costs more, so 5.
        assertThat(Statistics.compute(Decks.FIBONACCI, votes("3", "5")).suggestion()).isEqualTo("5");
    }
}

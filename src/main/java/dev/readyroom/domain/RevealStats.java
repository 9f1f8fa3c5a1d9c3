package dev.readyroom.domain;

import java.util.List;
import java.util.Map;

/**
 * What the team sees at the reveal. Only estimate cards count in average, median, min, max, spread
 * and consensus; {@code ?} and {@code coffee} are in the distribution. A consensus needs at least
 * two estimate cards, all equal.
 */
public record RevealStats(int votes, int numericVotes, Double average, Double median, String min, String max,
        List<CardCount> distribution, boolean consensus, Integer spread, String suggestion, Outliers outliers,
        Map<String, Integer> flags) {

    public record CardCount(String value, int count) {
    }

    /** Who to hear first: the lowest and the highest voters, when they are 2 or more steps apart. */
    public record Outliers(List<String> low, List<String> high) {
        public static final Outliers NONE = new Outliers(List.of(), List.of());
    }
}

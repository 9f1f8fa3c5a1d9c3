package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The statistics shown at the reveal. */
public final class Statistics {
    private static final int OUTLIER_MIN_SPREAD = 2;
    /** One estimate agrees with nobody: a lone 21 beside a {@code ?} is not a consensus. */
    private static final int CONSENSUS_MIN_ESTIMATES = 2;

    private Statistics() {
    }

    /**
     * Plain loops over one pass of the deck: this runs at every reveal, on the event loop that
     * commits it, and the stream version cost tens of microseconds per reveal.
     */
    public static RevealStats compute(Deck deck, List<RevealedVote> votes) {
        List<String> estimateCards = deck.estimateCards();
        Map<String, Integer> steps = estimateSteps(estimateCards);
        List<RevealedVote> estimates = new ArrayList<>(votes.size());
        List<Double> numbers = new ArrayList<>(votes.size());
        for (RevealedVote vote : votes) {
            if (steps.containsKey(vote.value())) {
                estimates.add(vote);
                Deck.numericValue(vote.value()).ifPresent(numbers::add);
            }
        }
        numbers.sort(null);

        Double average = null;
        Double median = null;
        if (!numbers.isEmpty()) {
            double sum = 0;
            for (double number : numbers) {
                sum += number;
            }
            average = round2(sum / numbers.size());
            median = round2(median(numbers));
        }

        String min = null;
        String max = null;
        Integer spread = null;
        boolean consensus = false;
        RevealStats.Outliers outliers = RevealStats.Outliers.NONE;
        int medianStep = -1;
        if (!estimates.isEmpty()) {
            int lowStep = Integer.MAX_VALUE;
            int highStep = Integer.MIN_VALUE;
            int[] votedSteps = new int[estimates.size()];
            for (int i = 0; i < estimates.size(); i++) {
                String value = estimates.get(i).value();
                int step = steps.get(value);
                votedSteps[i] = step;
                if (step < lowStep) {
                    lowStep = step;
                    min = value;
                }
                if (step > highStep) {
                    highStep = step;
                    max = value;
                }
            }
            spread = highStep - lowStep;
            consensus = spread == 0 && estimates.size() >= CONSENSUS_MIN_ESTIMATES;
            if (spread >= OUTLIER_MIN_SPREAD) {
                outliers = new RevealStats.Outliers(idsAtStep(estimates, votedSteps, lowStep),
                        idsAtStep(estimates, votedSteps, highStep));
            }
            Arrays.sort(votedSteps);
            medianStep = votedSteps[votedSteps.length / 2];
        }
        return new RevealStats(votes.size(), numbers.size(), average, median, min, max, distribution(deck, votes),
                consensus, spread, suggestion(estimateCards, estimates, median, consensus ? min : null, medianStep), outliers,
                flagCounts(votes));
    }

    /** Each estimate card of the deck and its step (its position among them). */
    private static Map<String, Integer> estimateSteps(List<String> estimateCards) {
        Map<String, Integer> steps = new HashMap<>(estimateCards.size() * 2);
        for (int step = 0; step < estimateCards.size(); step++) {
            steps.put(estimateCards.get(step), step);
        }
        return steps;
    }

    private static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static List<String> idsAtStep(List<RevealedVote> estimates, int[] votedSteps, int step) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < estimates.size(); i++) {
            if (votedSteps[i] == step) {
                ids.add(estimates.get(i).participantId());
            }
        }
        return List.copyOf(ids);
    }

    private static List<RevealStats.CardCount> distribution(Deck deck, List<RevealedVote> votes) {
        Map<String, Integer> counts = new HashMap<>();
        for (RevealedVote vote : votes) {
            counts.merge(vote.value(), 1, Integer::sum);
        }
        List<RevealStats.CardCount> inDeckOrder = new ArrayList<>(counts.size());
        for (String card : deck.cards()) {
            Integer count = counts.get(card);
            if (count != null) {
                inDeckOrder.add(new RevealStats.CardCount(card, count));
            }
        }
        return List.copyOf(inDeckOrder);
    }

    /**
     * The value to propose when settling: the consensus; else the numeric card nearest the median
     * (ties go to the larger card: under-estimating costs more); else, for decks without numbers,
     * the card at the upper median step.
     */
    private static String suggestion(List<String> estimateCards, List<RevealedVote> estimates, Double median,
            String consensus, int medianStep) {
        if (consensus != null) {
            return consensus;
        }
        if (estimates.isEmpty()) {
            return null;
        }
        if (median != null) {
            String best = null;
            double bestDistance = Double.MAX_VALUE;
            for (String card : estimateCards) {
                Optional<Double> number = Deck.numericValue(card);
                if (number.isPresent()) {
                    double distance = Math.abs(number.get() - median);
                    if (distance <= bestDistance) {
                        best = card;
                        bestDistance = distance;
                    }
                }
            }
            return best;
        }
        return estimateCards.get(medianStep);
    }

    private static Map<String, Integer> flagCounts(List<RevealedVote> votes) {
        Map<Flag, Integer> counts = new EnumMap<>(Flag.class);
        for (RevealedVote vote : votes) {
            for (Flag flag : vote.flags()) {
                counts.merge(flag, 1, Integer::sum);
            }
        }
        Map<String, Integer> byWireName = new LinkedHashMap<>();
        counts.forEach((flag, count) -> byWireName.put(flag.wireName(), count));
        return byWireName;
    }
}

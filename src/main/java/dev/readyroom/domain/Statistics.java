package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The statistics shown at the reveal. */
public final class Statistics {
    private static final int OUTLIER_MIN_SPREAD = 2;

    private Statistics() {
    }

    public static RevealStats compute(Deck deck, List<RevealedVote> votes) {
        List<RevealedVote> estimates = votes.stream().filter(v -> deck.isEstimate(v.value())).toList();
        List<Double> numbers = estimates.stream().map(v -> Deck.numericValue(v.value()))
                .flatMap(Optional::stream).sorted().toList();

        Double average = numbers.isEmpty() ? null
                : round2(numbers.stream().mapToDouble(Double::doubleValue).sum() / numbers.size());
        Double median = numbers.isEmpty() ? null : round2(median(numbers));

        String min = null;
        String max = null;
        Integer spread = null;
        boolean consensus = false;
        RevealStats.Outliers outliers = RevealStats.Outliers.NONE;
        if (!estimates.isEmpty()) {
            Comparator<RevealedVote> bySize = Comparator.comparingInt(v -> deck.step(v.value()));
            min = estimates.stream().min(bySize).orElseThrow().value();
            max = estimates.stream().max(bySize).orElseThrow().value();
            int lowStep = deck.step(min);
            int highStep = deck.step(max);
            spread = highStep - lowStep;
            consensus = spread == 0;
            if (spread >= OUTLIER_MIN_SPREAD) {
                outliers = new RevealStats.Outliers(idsAtStep(deck, estimates, lowStep),
                        idsAtStep(deck, estimates, highStep));
            }
        }
        return new RevealStats(votes.size(), numbers.size(), average, median, min, max, distribution(deck, votes),
                consensus, spread, suggestion(deck, estimates, median, consensus ? min : null), outliers,
                flagCounts(votes));
    }

    private static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static List<String> idsAtStep(Deck deck, List<RevealedVote> estimates, int step) {
        return estimates.stream().filter(v -> deck.step(v.value()) == step).map(RevealedVote::participantId).toList();
    }

    private static List<RevealStats.CardCount> distribution(Deck deck, List<RevealedVote> votes) {
        List<RevealStats.CardCount> counts = new ArrayList<>();
        for (String card : deck.cards()) {
            int count = (int) votes.stream().filter(v -> v.value().equals(card)).count();
            if (count > 0) {
                counts.add(new RevealStats.CardCount(card, count));
            }
        }
        return List.copyOf(counts);
    }

    /**
     * The value to propose when settling: the consensus; else the numeric card nearest the median
     * (ties go to the larger card: under-estimating costs more); else, for decks without numbers,
     * the card at the upper median step.
     */
    private static String suggestion(Deck deck, List<RevealedVote> estimates, Double median, String consensus) {
        if (consensus != null) {
            return consensus;
        }
        if (estimates.isEmpty()) {
            return null;
        }
        if (median != null) {
            String best = null;
            double bestDistance = Double.MAX_VALUE;
            for (String card : deck.estimateCards()) {
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
        List<Integer> steps = estimates.stream().map(v -> deck.step(v.value())).sorted().toList();
        return deck.estimateCards().get(steps.get(steps.size() / 2));
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

package dev.readyroom.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An ordered set of cards. Estimate cards are ordered by size; {@code ?} and {@code coffee} are
 * answers that are not estimates and never count in statistics.
 */
public record Deck(String id, String name, List<String> cards) {
    public static final String UNKNOWN_CARD = "?";
    public static final String BREAK_CARD = "coffee";
    public static final int MAX_CARDS = 20;
    public static final int MAX_CARD_LENGTH = 8;

    public Deck {
        cards = List.copyOf(cards);
    }

    public boolean contains(String card) {
        return cards.contains(card);
    }

    /**
     * The deck's own instance of {@code card} (which must be one of its cards): a vote holds it
     * instead of the text its message carried, so a room's history repeats no card's text.
     */
    public String card(String card) {
        int index = cards.indexOf(card);
        if (index < 0) {
            throw new IllegalArgumentException("Not a card of deck " + id + ": " + card);
        }
        return cards.get(index);
    }

    /** A card that says something about size, as opposed to {@code ?} or {@code coffee}. */
    public boolean isEstimate(String card) {
        return isEstimateCard(card) && contains(card);
    }

    private static boolean isEstimateCard(String card) {
        return !UNKNOWN_CARD.equals(card) && !BREAK_CARD.equals(card);
    }

    /** Position among the estimate cards, the unit of "spread in deck steps"; -1 for other cards. */
    public int step(String card) {
        int step = 0;
        for (String candidate : cards) {
            boolean estimate = isEstimateCard(candidate);
            if (candidate.equals(card)) {
                return estimate ? step : -1;
            }
            if (estimate) {
                step++;
            }
        }
        return -1;
    }

    public List<String> estimateCards() {
        List<String> estimates = new ArrayList<>(cards.size());
        for (String card : cards) {
            if (isEstimateCard(card)) {
                estimates.add(card);
            }
        }
        return Collections.unmodifiableList(estimates);
    }

    /**
     * The numeric value of a card: integers, decimals and fractions like {@code 1/2}. Cards that
     * cannot be numbers (T-shirt sizes, {@code ?}) are turned away before parsing, without the cost
     * of an exception per card.
     */
    public static Optional<Double> numericValue(String card) {
        int slash = card.indexOf('/');
        if (slash > 0) {
            Optional<Double> numerator = decimal(card.substring(0, slash));
            Optional<Double> denominator = decimal(card.substring(slash + 1));
            if (numerator.isEmpty() || denominator.isEmpty() || denominator.get() == 0) {
                return Optional.empty();
            }
            return Optional.of(numerator.get() / denominator.get());
        }
        return decimal(card);
    }

    private static Optional<Double> decimal(String text) {
        if (text.isEmpty() || !startsLikeANumber(text.charAt(0))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(text).doubleValue());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean startsLikeANumber(char first) {
        return first >= '0' && first <= '9' || first == '.' || first == '+' || first == '-';
    }
}

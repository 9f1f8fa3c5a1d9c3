package dev.readyroom.domain;

import java.math.BigDecimal;
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

    /** A card that says something about size, as opposed to {@code ?} or {@code coffee}. */
    public boolean isEstimate(String card) {
        return contains(card) && !UNKNOWN_CARD.equals(card) && !BREAK_CARD.equals(card);
    }

    /** Position among the estimate cards, the unit of "spread in deck steps". */
    public int step(String card) {
        int step = 0;
        for (String candidate : cards) {
            if (candidate.equals(card)) {
                return step;
            }
            if (isEstimate(candidate)) {
                step++;
            }
        }
        return -1;
    }

    public List<String> estimateCards() {
        return cards.stream().filter(this::isEstimate).toList();
    }

    /** The numeric value of a card: integers, decimals and fractions like {@code 1/2}. */
    public static Optional<Double> numericValue(String card) {
        try {
            int slash = card.indexOf('/');
            if (slash > 0) {
                BigDecimal numerator = new BigDecimal(card.substring(0, slash));
                BigDecimal denominator = new BigDecimal(card.substring(slash + 1));
                if (denominator.signum() == 0) {
                    return Optional.empty();
                }
                return Optional.of(numerator.doubleValue() / denominator.doubleValue());
            }
            return Optional.of(new BigDecimal(card).doubleValue());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}

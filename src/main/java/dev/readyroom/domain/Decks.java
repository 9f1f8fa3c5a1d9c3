package dev.readyroom.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The built-in decks and the rules for custom ones. */
public final class Decks {
    public static final Deck FIBONACCI = new Deck("fibonacci", "Fibonacci",
            List.of("0", "1", "2", "3", "5", "8", "13", "21", "?", "coffee"));
    public static final Deck MODIFIED_FIBONACCI = new Deck("modified-fibonacci", "Modified Fibonacci",
            List.of("0", "1/2", "1", "2", "3", "5", "8", "13", "20", "40", "100", "?", "coffee"));
    public static final Deck TSHIRT = new Deck("tshirt", "T-shirt sizes",
            List.of("XS", "S", "M", "L", "XL", "XXL", "?", "coffee"));
    public static final Deck POWERS_OF_TWO = new Deck("powers-of-two", "Powers of two",
            List.of("0", "1", "2", "4", "8", "16", "32", "64", "?", "coffee"));

    public static final List<Deck> BUILT_IN = List.of(FIBONACCI, MODIFIED_FIBONACCI, TSHIRT, POWERS_OF_TWO);

    private Decks() {
    }

    public static Optional<Deck> builtIn(String id) {
        return BUILT_IN.stream().filter(deck -> deck.id().equals(id)).findFirst();
    }

    /** A team's own deck: 1 to 20 distinct, short, printable cards, in the order given. */
    public static Deck custom(List<String> cards) {
        if (cards == null || cards.isEmpty() || cards.size() > Deck.MAX_CARDS) {
            throw new InvalidInputException("invalid_deck", "A custom deck has 1 to " + Deck.MAX_CARDS + " cards.");
        }
        Set<String> seen = new HashSet<>();
        List<String> trimmed = cards.stream().map(card -> card == null ? "" : card.strip()).toList();
        for (String card : trimmed) {
            if (card.isEmpty() || card.length() > Deck.MAX_CARD_LENGTH || Text.hasControlCharacters(card)) {
                throw new InvalidInputException("invalid_deck",
                        "Each card is 1 to " + Deck.MAX_CARD_LENGTH + " printable characters.");
            }
            if (!seen.add(card)) {
                throw new InvalidInputException("invalid_deck", "The card \"" + card + "\" appears twice.");
            }
        }
        return new Deck("custom", "Custom", trimmed);
    }
}

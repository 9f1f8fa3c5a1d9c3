package dev.readyroom.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecksTest {

    @Test
    void builtInDecksAreTheFourOfTheContract() {
        assertThat(Decks.BUILT_IN).extracting(Deck::id)
                .containsExactly("fibonacci", "modified-fibonacci", "tshirt", "powers-of-two");
        assertThat(Decks.POWERS_OF_TWO.cards()).containsExactly("0", "1", "2", "4", "8", "16", "32", "64", "?", "coffee");
    }

    @Test
    void customDeckKeepsOrderAndTrims() {
        Deck deck = Decks.custom(List.of(" 1 ", "2", "3", "?"));

        assertThat(deck.cards()).containsExactly("1", "2", "3", "?");
        assertThat(deck.isEstimate("?")).isFalse();
        assertThat(deck.step("3")).isEqualTo(2);
        assertThat(deck.step("?")).isEqualTo(-1);
        assertThat(deck.step("5")).isEqualTo(-1);
        assertThat(deck.estimateCards()).containsExactly("1", "2", "3");
    }

    @Test
    void customDeckRejectsDuplicatesEmptyLongAndTooMany() {
        assertThatThrownBy(() -> Decks.custom(List.of("1", "1"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> Decks.custom(List.of(""))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Decks.custom(List.of("123456789"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Decks.custom(List.of("a\u0007"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Decks.custom(Collections.nCopies(21, "x"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Decks.custom(List.of())).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void numericValuesIncludeFractions() {
        assertThat(Deck.numericValue("1/2")).contains(0.5);
        assertThat(Deck.numericValue("13")).contains(13.0);
        assertThat(Deck.numericValue("XL")).isEmpty();
        assertThat(Deck.numericValue("1/0")).isEmpty();
    }

    @Test
    void numericValuesOfEveryShapeACustomCardCanTake() {
        assertThat(Deck.numericValue("0.5")).contains(0.5);
        assertThat(Deck.numericValue(".5")).contains(0.5);
        assertThat(Deck.numericValue("-1")).contains(-1.0);
        assertThat(Deck.numericValue("+2")).contains(2.0);
        assertThat(Deck.numericValue("1e2")).contains(100.0);
        assertThat(Deck.numericValue("3/4")).contains(0.75);
        for (String notANumber : List.of("?", "coffee", "S", "1/", "/2", "1/2/3", "1x", "-", "1/x", "")) {
            assertThat(Deck.numericValue(notANumber)).as(notANumber).isEmpty();
        }
    }
}

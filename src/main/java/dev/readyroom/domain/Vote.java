package dev.readyroom.domain;

import java.util.List;

/** A hidden vote: a card and what the voter says is still unknown. */
public record Vote(String value, List<Flag> flags) {
    public Vote {
        flags = List.copyOf(flags);
    }
}

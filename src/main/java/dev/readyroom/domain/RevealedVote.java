package dev.readyroom.domain;

import java.util.List;

/** A vote after the reveal, with the voter's name as it was then (they may leave later). */
public record RevealedVote(String participantId, String name, String value, List<Flag> flags) {
    public RevealedVote {
        flags = List.copyOf(flags);
    }
}

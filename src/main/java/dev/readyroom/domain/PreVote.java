package dev.readyroom.domain;

/**
 * A hidden vote on a pending item, cast before its round opens. It outlives its voter's
 * connection: {@code name} and {@code tokenHash} let the round show who cast it and let the same
 * browser take it back when it joins again after its grace period.
 */
public record PreVote(String participantId, String name, String tokenHash, Vote vote) {
}

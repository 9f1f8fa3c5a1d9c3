package dev.readyroom.domain;

/**
 * The rationale of an estimate or a decision, written on an item during its discussion by the
 * facilitator or the scribe. {@code number} counts the item's notes from 1; {@code round} is the
 * number of the item's round it belongs to (the open one, else its latest revealed one), or null
 * before the item's first round.
 */
public record Note(int number, Integer round, String authorId, String author, String text) {
}

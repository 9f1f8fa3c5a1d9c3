package dev.readyroom.domain;

/**
 * The rationale of an estimate or a decision, written on an item during its discussion by the
 * facilitator or the scribe ({@code author}, their name then). {@code number} counts the item's
 * notes from 1; {@code round} is the number of the item's round it belongs to (the open one, else
 * its latest revealed one), or null before the item's first round.
 */
public record Note(int number, Integer round, String author, String text) {
    /**
     * What a note adds to the room's backlog text besides its text and author: about its JSON in a
     * snapshot, so that notes never make a snapshot larger than the same text in titles would.
     */
    public static final int OVERHEAD = 64;

    /** The characters it counts against the room's backlog text bound. */
    public int cost() {
        return OVERHEAD + author.length() + text.length();
    }
}

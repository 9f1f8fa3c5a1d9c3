package dev.readyroom.record;

/** One backlog item read from an import, already checked against the domain's text rules. */
public record ImportedItem(String title, String description, String acceptanceCriteria, String reference) {

    /** The characters it adds to the room's backlog text ({@code BacklogItem#textLength}). */
    public int textLength() {
        return length(title) + length(description) + length(acceptanceCriteria) + length(reference);
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}

package dev.readyroom.record;

/** One backlog item read from an import, already checked against the domain's text rules. */
public record ImportedItem(String title, String description, String acceptanceCriteria, String reference) {
}

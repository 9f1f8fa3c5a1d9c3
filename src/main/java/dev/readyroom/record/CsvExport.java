package dev.readyroom.record;

import dev.readyroom.domain.RevealStats.CardCount;
import dev.readyroom.record.RoomExport.Item;
import dev.readyroom.record.RoomExport.RoundSummary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The refined backlog as CSV: RFC 4180 (CRLF, quoted when needed), UTF-8 with a byte order mark
 * so spreadsheets read accents right, one row per item under a header.
 */
public final class CsvExport {
    static final List<String> HEADER = List.of("Position", "Item", "Title", "Description", "Acceptance criteria",
            "Reference", "Estimate", "Status", "Ready", "Missing", "Open flags", "Rounds", "Last round votes",
            "Vote history", "Flags raised", "Value", "Dependencies", "Split from", "Checklist", "Resolved unknowns",
            "Notes");

    private CsvExport() {
    }

    public static String write(RoomExport export) {
        StringBuilder csv = new StringBuilder("\uFEFF");
        row(csv, HEADER);
        for (Item item : export.items()) {
            List<RoundSummary> rounds = item.rounds();
            row(csv, List.of(String.valueOf(item.position()), item.id(), item.title(), text(item.description()),
                    text(item.acceptanceCriteria()), text(item.reference()), text(item.estimate()), item.status(),
                    item.ready() ? "yes" : "no", String.join(", ", item.missing()),
                    String.join(", ", item.openFlags()), String.valueOf(rounds.size()),
                    rounds.isEmpty() ? "" : distribution(rounds.get(rounds.size() - 1).distribution()),
                    rounds.stream().map(r -> "R" + r.number() + ": " + distribution(r.distribution()))
                            .collect(Collectors.joining(" | ")),
                    flagsRaised(rounds), text(item.value()), text(item.dependencies()), text(item.parentId()),
                    checklist(item), resolutions(item), notes(item)));
        }
        return csv.toString();
    }

    /** {@code definition ✓; size ✗ (above-max)}: each check the room has on, and what it misses. */
    static String checklist(Item item) {
        return item.checks().stream().map(check -> check.id() + (check.ok() ? " ✓"
                : " ✗ (" + String.join(", ", check.missing()) + ")")).collect(Collectors.joining("; "));
    }

    /** {@code risk: Ops agreed to the window; scope}: each resolved unknown with its note, if any. */
    static String resolutions(Item item) {
        return item.resolutions().stream().filter(r -> item.resolvedFlags().contains(r.flag()))
                .map(r -> r.note() == null ? r.flag() : r.flag() + ": " + r.note())
                .collect(Collectors.joining("; "));
    }

    /** {@code R2 Fran: 8, the report exists | Ana: split refunds}: each note, with its round and author. */
    static String notes(Item item) {
        return item.notes().stream().map(n -> (n.round() == null ? "" : "R" + n.round() + " ") + n.author() + ": " + n.text())
                .collect(Collectors.joining(" | "));
    }

    /** {@code 3×2, 5×1}: each card played and how many played it. */
    static String distribution(List<CardCount> counts) {
        return counts.stream().map(c -> c.value() + "×" + c.count()).collect(Collectors.joining(", "));
    }

    static String flagsRaised(List<RoundSummary> rounds) {
        Map<String, Integer> total = new TreeMap<>();
        rounds.forEach(r -> r.flags().forEach((flag, count) -> total.merge(flag, count, Integer::sum)));
        return total.entrySet().stream().map(e -> e.getKey() + "×" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** What makes a spreadsheet read a cell as a formula, with the full-width forms some accept. */
    private static final String FORMULA_STARTS = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";

    private static void row(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    /**
     * A cell as the CSV carries it. One that a spreadsheet would take for a formula (its first
     * character, after any spaces, one of {@code = + - @}, a tab or a carriage return, or their
     * full-width forms) is made text with a leading {@code '}, as OWASP's CSV injection rules say.
     */
    static String field(String value) {
        String safe = value;
        String start = safe.stripLeading();
        if (!start.isEmpty() && FORMULA_STARTS.indexOf(start.charAt(0)) >= 0
                || !safe.isEmpty() && "\t\r".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                || !safe.equals(safe.strip())) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}

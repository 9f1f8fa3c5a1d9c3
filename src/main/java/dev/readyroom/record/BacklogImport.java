package dev.readyroom.record;

import dev.readyroom.domain.InvalidInputException;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Text;
import dev.readyroom.record.CsvParser.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads backlog items from a CSV export (Jira, GitHub, a spreadsheet) or from plain text, one item
 * a line. The whole file is checked before anything is imported: the first problem is reported
 * with its line and column, and nothing is added.
 */
public final class BacklogImport {
    private static final List<String> TITLE = List.of("summary", "title", "name", "issue title");
    private static final List<String> DESCRIPTION = List.of("description", "body", "details");
    private static final List<String> ACCEPTANCE = List.of("acceptance criteria", "acceptance", "acceptancecriteria",
            "acceptance_criteria");
    /** Keys before addresses: "PROJ-12" reads better in a backlog than a URL. */
    private static final List<String> REFERENCE = List.of("issue key", "key", "reference", "id", "issue id",
            "url", "html_url", "issue url", "link");
    private static final Pattern BULLET = Pattern.compile("^(?:[-*•]|\\d{1,4}[.)]|\\[[ xX]?\\])\\s+");

    private BacklogImport() {
    }

    public static List<ImportedItem> fromCsv(String text) {
        List<Row> rows = CsvParser.parse(withoutBom(text));
        if (rows.isEmpty()) {
            throw new ImportException("empty_import", 1, null, "The file is empty; the first row is a header.");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        int title = column(header, TITLE);
        if (title < 0) {
            throw new ImportException("missing_column", 1, null,
                    "The header row has no title column: name one Summary or Title.");
        }
        int description = column(header, DESCRIPTION);
        int acceptance = column(header, ACCEPTANCE);
        int reference = column(header, REFERENCE);
        List<ImportedItem> items = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            if (row.fields().stream().allMatch(String::isBlank)) {
                continue;
            }
            items.add(item(row, rows.get(0).fields(), title, description, acceptance, reference));
            requireRoom(items.size(), row.line());
        }
        return requireSome(items);
    }

    public static List<ImportedItem> fromText(String text) {
        List<ImportedItem> items = new ArrayList<>();
        List<String> lines = withoutBom(text).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = BULLET.matcher(lines.get(i).strip()).replaceFirst("");
            if (line.isBlank()) {
                continue;
            }
            try {
                items.add(new ImportedItem(Text.requireName(line, Text.MAX_TITLE, "invalid_value", "A title"), "", "",
                        null));
            } catch (InvalidInputException e) {
                throw new ImportException("invalid_import", i + 1, "1", e.getMessage());
            }
            requireRoom(items.size(), i + 1);
        }
        return requireSome(items);
    }

    private static ImportedItem item(Row row, List<String> header, int title, int description, int acceptance,
            int reference) {
        int at = -1;
        try {
            at = title;
            String t = Text.requireName(field(row, title), Text.MAX_TITLE, "invalid_value", "A title");
            at = description;
            String d = Text.optionalLongText(field(row, description), Text.MAX_LONG_TEXT, "A description");
            at = acceptance;
            String a = Text.optionalLongText(field(row, acceptance), Text.MAX_LONG_TEXT, "Acceptance criteria");
            at = reference;
            String r = field(row, reference).isBlank() ? null
                    : Text.requireName(field(row, reference), Text.MAX_REFERENCE, "invalid_value", "A reference");
            return new ImportedItem(t, d, a, r);
        } catch (InvalidInputException e) {
            throw new ImportException("invalid_import", row.line(), (at + 1) + " (" + header.get(at).strip() + ")",
                    e.getMessage());
        }
    }

    private static String field(Row row, int column) {
        return column < 0 || column >= row.fields().size() ? "" : row.fields().get(column);
    }

    private static int column(List<String> header, List<String> names) {
        for (String name : names) {
            int index = header.indexOf(name);
            if (index >= 0) {
                return index;
            }
        }
        return -1;
    }

    private static void requireRoom(int count, int line) {
        if (count > RoomState.MAX_ITEMS) {
            throw new ImportException("too_many_items", line, null,
                    "A room holds at most " + RoomState.MAX_ITEMS + " items.");
        }
    }

    private static List<ImportedItem> requireSome(List<ImportedItem> items) {
        if (items.isEmpty()) {
            throw new ImportException("empty_import", 1, null, "There is no item to import.");
        }
        return List.copyOf(items);
    }

    private static String withoutBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}

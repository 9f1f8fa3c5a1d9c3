package dev.readyroom.record;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes), with the line each starts on. */
final class CsvParser {

    record Row(int line, List<String> fields) {
    }

    private CsvParser() {
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '"') {
                throw new ImportException("invalid_csv", line, String.valueOf(fields.size() + 1),
                        "A quote inside an unquoted field; quote the whole field and double the quote (\"\").");
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                rows.add(new Row(rowLine, List.copyOf(fields)));
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                line++;
                rowLine = line;
            } else if (wasQuoted) {
                throw new ImportException("invalid_csv", line, String.valueOf(fields.size() + 1),
                        "Text after the closing quote of a field.");
            } else {
                field.append(c);
            }
            i++;
        }
        if (quoted) {
            throw new ImportException("invalid_csv", rowLine, String.valueOf(fields.size() + 1),
                    "A quoted field is never closed.");
        }
        if (!field.isEmpty() || !fields.isEmpty() || wasQuoted) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }
}

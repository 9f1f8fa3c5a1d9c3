package dev.readyroom.record;

/** An import refused as a whole, naming where it failed: 1-based line, and the column when known. */
public class ImportException extends RuntimeException {
    private final String code;
    private final int line;
    private final String column;

    public ImportException(String code, int line, String column, String message) {
        super(message, null, false, false);
        this.code = code;
        this.line = line;
        this.column = column;
    }

    public String code() {
        return code;
    }

    public int line() {
        return line;
    }

    public String column() {
        return column;
    }
}

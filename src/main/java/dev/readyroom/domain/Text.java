package dev.readyroom.domain;

/** Checks on text typed by people. */
public final class Text {
    public static final int MAX_PARTICIPANT_NAME = 40;
    public static final int MAX_ROOM_NAME = 80;
    public static final int MAX_TITLE = 200;
    public static final int MAX_LONG_TEXT = 4000;
    public static final int MAX_REFERENCE = 200;
    /** An item's value (why it matters) and its dependencies. */
    public static final int MAX_VALUE_TEXT = 2000;
    /** How an unknown was resolved. */
    public static final int MAX_NOTE = 500;
    /** A note on an item: the rationale of its estimate, or a decision. */
    public static final int MAX_ITEM_NOTE = 2000;

    /** The most of someone's input an error message repeats back to them. */
    public static final int MAX_ECHOED = 40;

    private Text() {
    }

    /**
     * Input as an error message may repeat it: control characters shown as {@code ?}, cut after
     * {@link #MAX_ECHOED} characters. An error (and the reply kept for its retries) never grows with
     * what was sent.
     */
    public static String echoed(String input) {
        String printable = input.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_ECHOED ? printable : printable.substring(0, MAX_ECHOED) + "…";
    }

    public static boolean hasControlCharacters(String text) {
        return text.codePoints().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT && c != 0x200D
                || c == 0x2028 || c == 0x2029);
    }

    /** Multi-line fields may hold line breaks and tabs, but no other control characters. */
    public static boolean hasControlCharactersBesidesLineBreaks(String text) {
        return text.codePoints().anyMatch(c -> c != '\n' && c != '\r' && c != '\t' && Character.isISOControl(c));
    }

    /** A one-line name: trimmed, 1 to max characters, no control characters; otherwise rejected. */
    public static String requireName(String raw, int max, String code, String what) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > max || hasControlCharacters(name)) {
            throw new InvalidInputException(code, what + " must be 1 to " + max + " characters without control characters.");
        }
        return name;
    }

    /** Optional multi-line text: null stays null, blank becomes empty, over max is rejected. */
    public static String optionalLongText(String raw, int max, String what) {
        if (raw == null) {
            return "";
        }
        String text = raw.strip();
        if (text.length() > max || hasControlCharactersBesidesLineBreaks(text)) {
            throw new InvalidInputException("invalid_value", what + " must be at most " + max + " characters of text.");
        }
        return text;
    }
}

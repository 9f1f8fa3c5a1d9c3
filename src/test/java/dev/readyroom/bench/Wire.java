package dev.readyroom.bench;

/**
 * Reads the few fields the generator needs from a server frame without a JSON parse, so the
 * generator's own CPU stays small. Both servers write {@code "type"} first.
 */
final class Wire {
    private static final String TYPE_PREFIX = "{\"type\":\"";

    private Wire() {
    }

    static String type(String json) {
        if (!json.startsWith(TYPE_PREFIX)) {
            return "";
        }
        int end = json.indexOf('"', TYPE_PREFIX.length());
        return end < 0 ? "" : json.substring(TYPE_PREFIX.length(), end);
    }

    /** The string value after {@code marker} (which ends with the opening quote), or null. */
    static String after(String json, String marker) {
        int start = json.indexOf(marker);
        if (start < 0) {
            return null;
        }
        start += marker.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    static String join(String name, String role, String facilitatorKey) {
        return "{\"type\":\"join\",\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                + (facilitatorKey == null ? "" : ",\"facilitatorKey\":\"" + facilitatorKey + "\"") + "}";
    }

    static String itemAdd(int n) {
        return "{\"type\":\"item.add\",\"opId\":\"i" + n + "\",\"title\":\"Backlog item " + n
                + "\",\"acceptanceCriteria\":\"It works\"}";
    }

    static String select(int round, String itemId) {
        return "{\"type\":\"item.select\",\"opId\":\"s" + round + "\",\"itemId\":\"" + itemId + "\"}";
    }

    static String vote(int round, String value) {
        return "{\"type\":\"vote\",\"opId\":\"v" + round + "\",\"value\":\"" + value + "\"}";
    }

    static String reveal(int round) {
        return "{\"type\":\"reveal\",\"opId\":\"r" + round + "\"}";
    }

    /** A command of the history prelude: its opIds start with {@code h}, apart from the scenario's own. */
    static String prelude(String type, String opId, String fields) {
        return "{\"type\":\"" + type + "\",\"opId\":\"h" + opId + "\"" + fields + "}";
    }
}

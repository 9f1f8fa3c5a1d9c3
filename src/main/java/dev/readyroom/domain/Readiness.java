package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether an item is ready for a sprint by the room's checklist, and each check's result with what
 * it misses: {@code definition} (a title and acceptance criteria), {@code value} (why it matters),
 * {@code size} (a settled estimate card, not {@code ?} or {@code coffee}, not above the checklist's
 * largest size, and no open {@code too-big} unknown), {@code risks} (no open unknown). Checks the
 * room switched off are left out. {@code missing} is every check's misses in one list.
 */
public record Readiness(boolean ready, List<Check> checks, List<String> missing) {

    public record Check(String id, boolean ok, List<String> missing) {
    }

    public static final String DEFINITION = "definition";
    public static final String VALUE = "value";
    public static final String SIZE = "size";
    public static final String RISKS = "risks";

    /** The size check's misses that say the item should be split. */
    public static final String ABOVE_MAX = "above-max";
    public static final String TOO_BIG = "too-big";

    public static Readiness of(BacklogItem item, Deck deck, Settings.Checklist checklist) {
        List<Check> checks = new ArrayList<>(4);
        if (checklist.definition()) {
            List<String> missing = new ArrayList<>();
            if (blank(item.title())) {
                missing.add("title");
            }
            if (blank(item.acceptanceCriteria())) {
                missing.add("acceptance");
            }
            checks.add(check(DEFINITION, missing));
        }
        if (checklist.value()) {
            checks.add(check(VALUE, blank(item.value()) ? List.of("value") : List.of()));
        }
        if (checklist.size()) {
            checks.add(check(SIZE, sizeMisses(item, deck, checklist.maxEstimate())));
        }
        if (checklist.risks()) {
            checks.add(check(RISKS, item.openFlags().stream().map(flag -> "flag:" + flag.wireName()).toList()));
        }
        List<String> missing = new ArrayList<>();
        checks.forEach(check -> missing.addAll(check.missing()));
        return new Readiness(checks.stream().allMatch(Check::ok), List.copyOf(checks), List.copyOf(missing));
    }

    private static List<String> sizeMisses(BacklogItem item, Deck deck, String maxEstimate) {
        List<String> missing = new ArrayList<>();
        if (item.estimate() == null || !deck.isEstimate(item.estimate())) {
            missing.add("estimate");
        } else if (maxEstimate != null && deck.step(item.estimate()) > deck.step(maxEstimate)) {
            missing.add(ABOVE_MAX);
        }
        if (item.openFlags().contains(Flag.TOO_BIG)) {
            missing.add(TOO_BIG);
        }
        return List.copyOf(missing);
    }

    /**
     * Too big for a sprint, by its settled estimate or by an open {@code too-big} unknown: the room
     * suggests splitting it (whether or not the size check is on).
     */
    public static boolean oversized(BacklogItem item, Deck deck, String maxEstimate) {
        List<String> misses = sizeMisses(item, deck, maxEstimate);
        return misses.contains(ABOVE_MAX) || misses.contains(TOO_BIG);
    }

    private static Check check(String id, List<String> missing) {
        return new Check(id, missing.isEmpty(), List.copyOf(missing));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}

package dev.readyroom.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether an item is ready for a sprint, and if not, what is missing: a title, acceptance
 * criteria, a settled estimate that is a real size, and no unresolved unknown.
 */
public record Readiness(boolean ready, List<String> missing) {

    public static Readiness of(BacklogItem item, Deck deck) {
        List<String> missing = new ArrayList<>();
        if (item.title() == null || item.title().isBlank()) {
            missing.add("title");
        }
        if (item.acceptanceCriteria() == null || item.acceptanceCriteria().isBlank()) {
            missing.add("acceptance");
        }
        if (item.estimate() == null || !deck.isEstimate(item.estimate())) {
            missing.add("estimate");
        }
        for (Flag flag : item.openFlags()) {
            missing.add("flag:" + flag.wireName());
        }
        return new Readiness(missing.isEmpty(), List.copyOf(missing));
    }
}

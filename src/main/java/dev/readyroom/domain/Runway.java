package dev.readyroom.domain;

/**
 * How much sprint-ready work the backlog holds, against the 3-5-3 rule of thumb (about 3 sprints
 * of ready work, about 5 ready items, items small enough for a sprint). Over the items that were
 * not split: {@code readyPoints} sums the numeric estimates of the ready ones, {@code sprints} is
 * that over the room's velocity (null without one), {@code oversized} counts items too big for a
 * sprint.
 */
public record Runway(int readyItems, double readyPoints, Double sprints, int oversized, Targets targets) {

    public record Targets(int sprints, int readyItems) {
    }

    public static final Targets TARGETS = new Targets(3, 5);

    public static Runway of(RoomState state) {
        Settings.Checklist checklist = state.settings().readiness();
        int ready = 0;
        double points = 0;
        int oversized = 0;
        for (BacklogItem item : state.items()) {
            if (item.split()) {
                continue;
            }
            if (Readiness.of(item, state.deck(), checklist).ready()) {
                ready++;
                points += item.estimate() == null ? 0 : Deck.numericValue(item.estimate()).orElse(0.0);
            }
            if (Readiness.oversized(item, state.deck(), checklist.maxEstimate())) {
                oversized++;
            }
        }
        Double velocity = state.settings().velocity();
        Double sprints = velocity == null ? null : Math.round(points / velocity * 100) / 100.0;
        return new Runway(ready, points, sprints, oversized, TARGETS);
    }
}

package dev.readyroom.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load shape: rooms of {@code perRoom} people (one facilitator, the rest voters) playing rounds
 * of {@code roundMillis}; the first {@code warmRounds} are not measured. Rooms start spread over
 * {@code staggerMillis}. With {@code historyRounds} over 0, each room's first item has that many
 * revealed rounds of all its voters before the scenario starts (an unmeasured prelude), and every
 * round is played on that item.
 */
public record Scenario(String name, int rooms, int perRoom, long roundMillis, int warmRounds, int measuredRounds,
        long staggerMillis, int historyRounds) {

    /** Rooms that start fresh, each round on an item of its own. */
    public Scenario(String name, int rooms, int perRoom, long roundMillis, int warmRounds, int measuredRounds,
            long staggerMillis) {
        this(name, rooms, perRoom, roundMillis, warmRounds, measuredRounds, staggerMillis, 0);
    }

    public int connections() {
        return rooms * perRoom;
    }

    public int rounds() {
        return warmRounds + measuredRounds;
    }

    public int voters() {
        return perRoom - 1;
    }

    /**
     * Played against each server once before this scenario, not measured: the same rooms at the
     * same pace for about {@code seconds} (48 by default), so the JIT compiles this traffic's hot
     * paths here rather than in the measurement. A 24 s warm-up at twice S1's pace still left a service node compiling through
     * S1's window (2-4 % of a core), and overloaded two cluster nodes on one core.
     */
    public Scenario jitWarmUp(int seconds) {
        int rounds = (int) Math.max(3, (seconds * 1000L + roundMillis - 1) / roundMillis);
        return new Scenario(name + "-jit-warm-up", rooms, perRoom, roundMillis, 0, rounds, staggerMillis);
    }

    public static final int DEFAULT_WARM_UP_SECONDS = 48;

    /** The revealed rounds each room's item has before an {@code -history} scenario starts (issue 16). */
    public static final int HISTORY_ROUNDS = 30;

    /** The backlog item that round {@code round} is played on: its own, or the one with the history. */
    public int itemOfRound(int round) {
        return historyRounds > 0 ? 0 : round;
    }

    private static final Pattern KNEE_STEP = Pattern.compile("S4-(\\d+(?:\\.\\d+)?)s");

    /** The named scenarios of docs/benchmarks.md; S4 is three runs, one per round length. */
    public static List<Scenario> named(String name) {
        return switch (name) {
            case "smoke" -> List.of(new Scenario("smoke", 4, 5, 1_000, 1, 2, 500));
            case "S1" -> List.of(new Scenario("S1", 200, 10, 4_000, 3, 12, 4_000));
            case "S1-history" -> List.of(new Scenario("S1-history", 200, 10, 4_000, 3, 12, 4_000, HISTORY_ROUNDS));
            case "S2" -> List.of(new Scenario("S2", 10, 100, 10_000, 3, 5, 5_000));
            case "S2-history" -> List.of(new Scenario("S2-history", 10, 100, 10_000, 3, 5, 5_000, HISTORY_ROUNDS));
            case "S3" -> List.of(new Scenario("S3", 1_900, 10, 30_000, 1, 2, 10_000));
            case "S4" -> List.of(new Scenario("S4-16s", 1_000, 10, 16_000, 3, 2, 8_000),
                    new Scenario("S4-8s", 1_000, 10, 8_000, 3, 4, 8_000),
                    new Scenario("S4-4s", 1_000, 10, 4_000, 3, 8, 4_000));
            case "S4-16s", "S4-8s", "S4-4s" -> named("S4").stream().filter(s -> s.name().equals(name)).toList();
            // Finer steps, to place a knee found between 8 s and 4 s.
            case "S4-6s" -> List.of(new Scenario("S4-6s", 1_000, 10, 6_000, 3, 6, 6_000));
            case "S4-5s" -> List.of(new Scenario("S4-5s", 1_000, 10, 5_000, 3, 7, 5_000));
            // Beyond 4 s (S4-3s, S4-2.5s, S4-2s, ...), to find a knee that lies past the three steps.
            default -> List.of(knee(name));
        };
    }

    /**
     * Any S4 step not named above, {@code S4-<seconds>s} (such as {@code S4-3s} or {@code S4-1.5s}):
     * the knee's rooms at that round length, with about 30 s measured, as the 4 s step has.
     */
    private static Scenario knee(String name) {
        Matcher step = KNEE_STEP.matcher(name);
        if (!step.matches()) {
            throw new IllegalArgumentException("Unknown scenario " + name
                    + " (smoke, S1, S1-history, S2, S2-history, S3, S4, or one S4 step: S4-<seconds>s)");
        }
        long roundMillis = Math.round(Double.parseDouble(step.group(1)) * 1000);
        if (roundMillis < 500) {
            throw new IllegalArgumentException("An S4 step's round is at least 0.5 s: " + name);
        }
        int measuredRounds = (int) ((30_000 + roundMillis - 1) / roundMillis);
        return new Scenario(name, 1_000, 10, roundMillis, 3, measuredRounds, roundMillis);
    }
}

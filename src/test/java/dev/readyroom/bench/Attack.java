package dev.readyroom.bench;

import java.util.List;

/**
 * One attack of issue 16's table, re-run by bench/Attacks against a standalone service with its
 * default limits while honest rooms play alongside.
 */
interface Attack {
    /** The name {@code --attack} takes. */
    String name();

    /** The attack as filed, with what it did to the service before the fixes. */
    String before();

    /** Unmeasured: rooms, histories and members the attack needs, made before the honest rooms start. */
    default void prepare(Attacker attacker) throws Exception {
    }

    /** Attacks until {@code untilNanos} ({@code System.nanoTime()}), then says what it saw. */
    Outcome run(Attacker attacker, long untilNanos) throws Exception;

    /** What the attack saw: one line for the table, and the details. */
    record Outcome(String summary, List<String> details) {
    }
}

package dev.readyroom.bench;

import java.util.List;

/** No attack: the honest rooms alone, for the figures each attack is read against. */
final class ControlAttack implements Attack {
    @Override
    public String name() {
        return "control";
    }

    @Override
    public String before() {
        return "no attack";
    }

    @Override
    public Outcome run(Attacker attacker, long untilNanos) throws Exception {
        Thread.sleep(Math.max(0, (untilNanos - System.nanoTime()) / 1_000_000));
        return new Outcome("no attack", List.of("the honest rooms alone"));
    }
}

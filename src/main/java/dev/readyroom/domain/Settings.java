package dev.readyroom.domain;

/**
 * Room settings the facilitator can change: auto-reveal, the room's Ready-for-Sprint checklist,
 * the team's velocity (points per sprint, or null), which sizes the runway in sprints, and
 * whether participants may pre-vote on pending items before the meeting.
 */
public record Settings(boolean autoReveal, Checklist readiness, Double velocity, boolean preVoting) {

    /** Velocities above this are taken for a typo. */
    public static final double MAX_VELOCITY = 100_000;

    /** A room's settings before the facilitator chose a checklist: the deck's default one ({@link #forDeck}). */
    public Settings(boolean autoReveal) {
        this(autoReveal, null, null);
    }

    /** Settings without pre-voting (also a state stored before pre-voting existed). */
    public Settings(boolean autoReveal, Checklist readiness, Double velocity) {
        this(autoReveal, readiness, velocity, false);
    }

    /** These settings with the deck's default checklist when none is chosen. */
    public Settings forDeck(Deck deck) {
        return readiness != null ? this : new Settings(autoReveal, Checklist.defaultFor(deck), velocity, preVoting);
    }

    /**
     * The checks of the Ready-for-Sprint checklist, each of which can be switched off, and the
     * largest estimate that fits in a sprint (a card of the room's deck).
     */
    public record Checklist(boolean definition, boolean value, boolean size, boolean risks, String maxEstimate) {

        /** Every check on, and the deck's card nearest 8 (numeric decks) or {@code L}, else its middle card. */
        public static Checklist defaultFor(Deck deck) {
            return new Checklist(true, true, true, true, defaultMaxEstimate(deck));
        }

        private static String defaultMaxEstimate(Deck deck) {
            java.util.List<String> estimates = deck.estimateCards();
            if (estimates.isEmpty()) {
                return null;
            }
            String nearest = null;
            double distance = Double.MAX_VALUE;
            for (String card : estimates) {
                Double number = Deck.numericValue(card).orElse(null);
                if (number != null && Math.abs(number - 8) < distance) {
                    nearest = card;
                    distance = Math.abs(number - 8);
                }
            }
            if (nearest != null) {
                return nearest;
            }
            return estimates.contains("L") ? "L" : estimates.get(estimates.size() / 2);
        }
    }
}

package dev.readyroom.record;

import io.vertx.pgclient.PgException;

/** Tells an entry PostgreSQL will never take (bad data) from an outage that will pass. */
final class WriteFailures {
    private WriteFailures() {
    }

    /**
     * SQLSTATE classes 22 (data exception), 23 (integrity constraint) and 42 (syntax or access
     * rule) fail again on every retry; anything else (connection refused, terminated, no
     * connections allowed, timeouts) is worth retrying until PostgreSQL is back.
     */
    static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("42");
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}

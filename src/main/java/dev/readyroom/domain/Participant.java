package dev.readyroom.domain;

/**
 * Someone in a room. {@code tokenHash} identifies the resume token of their browser session; the
 * token itself is never stored. {@code connection} names the connection that holds them online
 * ({@code <node>/<number>}, null while away): a drop reported for any other connection of theirs
 * is stale, and the connections of a node that died can be found.
 */
public record Participant(String id, String name, Role role, boolean online, String tokenHash, String connection) {
    public Participant connectedOn(String value) {
        return new Participant(id, name, role, true, tokenHash, value);
    }

    public Participant away() {
        return new Participant(id, name, role, false, tokenHash, null);
    }

    public Participant withName(String value) {
        return new Participant(id, value, role, online, tokenHash, connection);
    }

    public Participant withRole(Role value) {
        return new Participant(id, name, value, online, tokenHash, connection);
    }

    public boolean votes() {
        return role == Role.VOTER;
    }

    /**
     * Whether a drop of {@code dropped} takes this participant away: it is the connection that
     * holds them online. A state written before connections were recorded has none, and any
     * drop counts.
     */
    public boolean heldOnlineBy(String dropped) {
        return online && (connection == null || connection.equals(dropped));
    }
}

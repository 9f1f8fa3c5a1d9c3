package dev.readyroom.domain;

/**
 * Someone in a room. {@code tokenHash} identifies the resume token of their browser session; the
 * token itself is never stored.
 */
public record Participant(String id, String name, Role role, boolean online, String tokenHash) {
    public Participant withOnline(boolean value) {
        return new Participant(id, name, role, value, tokenHash);
    }

    public Participant withName(String value) {
        return new Participant(id, value, role, online, tokenHash);
    }

    public Participant withRole(Role value) {
        return new Participant(id, name, value, online, tokenHash);
    }

    public boolean votes() {
        return role == Role.VOTER;
    }
}

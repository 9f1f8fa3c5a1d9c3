package dev.readyroom.domain;

import java.util.Optional;

/** Voters estimate; observers watch (a facilitator who only facilitates is an observer). */
public enum Role {
    VOTER("voter"),
    OBSERVER("observer");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWire(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

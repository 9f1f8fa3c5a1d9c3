package dev.readyroom.domain;

import java.util.Optional;

/** What a voter says is still unknown about an item. */
public enum Flag {
    SCOPE("scope"),
    ACCEPTANCE("acceptance"),
    DEPENDENCY("dependency"),
    RISK("risk"),
    TOO_BIG("too-big");

    private final String wireName;

    Flag(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Flag> fromWire(String name) {
        for (Flag flag : values()) {
            if (flag.wireName.equals(name)) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}

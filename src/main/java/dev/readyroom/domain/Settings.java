package dev.readyroom.domain;

/** Room settings the facilitator can change. */
public record Settings(boolean autoReveal) {
}

package dev.readyroom.domain;

/** Who gives a command: a participant, or the service itself (presence, auto-reveal). */
public record Actor(String participantId) {
    public static final Actor SYSTEM = new Actor(null);

    public static Actor participant(String participantId) {
        return new Actor(participantId);
    }

    public boolean isSystem() {
        return participantId == null;
    }
}

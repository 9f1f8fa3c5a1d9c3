package dev.readyroom.live;

/** How a room's events reach every node that has members in it. */
public interface RoomBus {

    /**
     * Delivers the room's events of {@code epoch} after {@code afterVersion}: in version order,
     * each once, with no gap, until the subscription is cancelled. When that can no longer be kept
     * (the room was rebuilt under a new epoch, or the missed events are gone), calls
     * {@link Listener#reset} once and delivers nothing more.
     */
    Subscription subscribe(String roomId, String epoch, long afterVersion, Listener listener);

    interface Listener {
        void event(PublishedEvent event);

        /** The room's members must start over from a snapshot. */
        void reset();
    }

    interface Subscription {
        void cancel();
    }
}

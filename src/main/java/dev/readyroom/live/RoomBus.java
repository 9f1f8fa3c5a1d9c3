package dev.readyroom.live;

import java.util.function.Consumer;

/** How a room's events reach every node that has members in it. */
public interface RoomBus {

    /** Delivers the room's events, in version order, until the subscription is cancelled. */
    Subscription subscribe(String roomId, Consumer<PublishedEvent> listener);

    interface Subscription {
        void cancel();
    }
}

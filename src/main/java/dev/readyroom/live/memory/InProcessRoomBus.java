package dev.readyroom.live.memory;

import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RoomBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The standalone bus: listeners are called synchronously, in commit order, on the committing thread,
 * so there is never a gap to fill and never a reset.
 */
public class InProcessRoomBus implements RoomBus {
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(String roomId, String epoch, long afterVersion, Listener listener) {
        listeners.computeIfAbsent(roomId, id -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(roomId, (id, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    public void publish(PublishedEvent event) {
        List<Listener> roomListeners = listeners.get(event.roomId());
        if (roomListeners != null) {
            roomListeners.forEach(listener -> listener.event(event));
        }
    }
}

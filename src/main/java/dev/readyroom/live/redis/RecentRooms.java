package dev.readyroom.live.redis;

import dev.readyroom.live.StoredRoom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last state this node saw of the rooms it served lately. It saves parsing an unchanged state
 * again, and it is what a room is rebuilt from when Redis comes back empty.
 */
final class RecentRooms {
    private final int capacity;
    private final Map<String, Seen> rooms;

    /** {@code itemsAt}: the version that last changed the room's backlog, as Redis stores it apart; -1 if unknown. */
    record Seen(StoredRoom room, long itemsAt, long atMillis) {
    }

    RecentRooms(int capacity) {
        this.capacity = capacity;
        this.rooms = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > RecentRooms.this.capacity;
            }
        };
    }

    synchronized void put(StoredRoom room, long itemsAt, long nowMillis) {
        Seen seen = rooms.get(room.state().id());
        // Replies may arrive out of order; never go back to an older state of the same epoch.
        if (seen == null || !seen.room().epoch().equals(room.epoch())
                || seen.room().state().version() <= room.state().version()) {
            rooms.put(room.state().id(), new Seen(room, itemsAt, nowMillis));
        }
    }

    synchronized Seen get(String roomId) {
        return rooms.get(roomId);
    }

    synchronized int size() {
        return rooms.size();
    }
}

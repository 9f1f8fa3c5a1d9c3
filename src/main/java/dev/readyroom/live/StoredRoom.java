package dev.readyroom.live;

import dev.readyroom.domain.RoomState;

/** A room's authoritative state and the epoch it lives in. */
public record StoredRoom(RoomState state, String epoch) {
}

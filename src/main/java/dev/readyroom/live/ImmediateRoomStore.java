package dev.readyroom.live;

import dev.readyroom.domain.RoomState;
import dev.readyroom.live.RoomStore.ReplyOrRoom;

/**
 * A store that answers at once because it is this JVM's memory: a command is decided and
 * committed on the caller's thread, with no asynchronous step, lane or timeout in between. Each
 * method does what the {@link RoomStore} method of the same name does.
 */
public interface ImmediateRoomStore {

    StoredRoom loadNow(String roomId);

    ReplyOrRoom replyOrRoomNow(String roomId, String opKey);

    boolean commitNow(long expectedVersion, RoomState next, PublishedEvent event, String opKey, String reply);

    void rememberReplyNow(String roomId, String opKey, String reply);
}

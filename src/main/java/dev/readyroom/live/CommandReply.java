package dev.readyroom.live;

/**
 * Where {@link RoomService#submit} answers: once, with the outcome or the failure. Called on the
 * caller's thread when the store answers at once (standalone), later otherwise.
 */
public interface CommandReply {

    void outcome(CommandOutcome outcome);

    /** Not saved: the store did not answer in time, or the node is stopping ({@link ServerStoppingException}). */
    void failed(LiveStoreUnavailableException failure);
}

package dev.readyroom.live;

/** The live store did not commit in time; the command may be retried with the same opId. */
public class LiveStoreUnavailableException extends RuntimeException {
    public LiveStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.readyroom.realtime;

/** A client message that breaks the protocol; answered with an {@code error} and otherwise ignored. */
public class ProtocolException extends RuntimeException {
    private final String code;

    public ProtocolException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

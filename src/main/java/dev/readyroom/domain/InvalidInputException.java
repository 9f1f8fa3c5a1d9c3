package dev.readyroom.domain;

/** Input that breaks a domain rule, with a stable code for clients. */
public class InvalidInputException extends RuntimeException {
    private final String code;

    public InvalidInputException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

package dev.readyroom.realtime;

import java.nio.charset.StandardCharsets;

/** A text message and its UTF-8 bytes, encoded once however many members it goes out to. */
record EncodedText(String text, byte[] utf8) {

    static EncodedText of(String text) {
        return new EncodedText(text, text.getBytes(StandardCharsets.UTF_8));
    }
}

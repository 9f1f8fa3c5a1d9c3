package dev.readyroom.live;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Unguessable ids and keys, and the one-way hashes under which keys are stored. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** 128 random bits, URL-safe: room ids. */
    public static String roomId() {
        return random(16);
    }

    /** 256 random bits: facilitator keys and resume tokens. */
    public static String key() {
        return random(32);
    }

    /** A new epoch for a room's live state: changes only when that state had to be rebuilt. */
    public static String epoch() {
        return random(6);
    }

    /** Not secret, just unique: participant ids are visible to the whole room. */
    public static String participantId() {
        return "p" + random(9);
    }

    /** Not secret, just unique: a node's name in Redis and in its connections' names. */
    public static String nodeId() {
        return "n" + random(9);
    }

    /**
     * SHA-256 is enough here: the keys are 256 random bits, so there is nothing to brute-force
     * that a slow password hash would protect.
     */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Compares a presented key with a stored hash in constant time. */
    public static boolean matches(String key, String storedHash) {
        if (key == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(key).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}

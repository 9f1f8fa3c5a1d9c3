package dev.readyroom.live.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's hash slots, computed as Redis does (CRC16-XMODEM of the key, or of its hash tag,
 * modulo 16384), and for each slot a short hash tag that lands in it: a key of the node's own
 * (such as a slot's outbox stream) can so be placed in the slot of a room's keys.
 */
final class RedisSlots {
    static final int COUNT = 16384;
    private static final String[] TAGS = tags();

    private RedisSlots() {
    }

    /** The slot of {@code key}, honouring a {@code {tag}} as Redis does. */
    static int of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) & (COUNT - 1);
    }

    /** A hash tag (without braces) whose keys land in {@code slot}. */
    static String tag(int slot) {
        return TAGS[slot];
    }

    /** The first base-36 number landing in each slot: the same table on every node. */
    private static String[] tags() {
        String[] tags = new String[COUNT];
        int found = 0;
        for (long n = 0; found < COUNT; n++) {
            String candidate = Long.toString(n, 36);
            int slot = crc16(candidate.getBytes(StandardCharsets.UTF_8)) & (COUNT - 1);
            if (tags[slot] == null) {
                tags[slot] = candidate;
                found++;
            }
        }
        return tags;
    }

    static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}

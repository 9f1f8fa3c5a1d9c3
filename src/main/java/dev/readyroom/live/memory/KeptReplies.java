package dev.readyroom.live.memory;

import dev.readyroom.live.CompactLog;
import java.nio.charset.StandardCharsets;

/**
 * The replies of a room's last {@code limit} commands with an opId (at most {@code maxBytes} of
 * them), by opKey: a {@link CompactLog}
 * of (opKey, reply) entries and an open-addressing table from the opKey's hash to the entry's
 * position, both primitive arrays, so remembering a reply leaves no object behind. A slot whose
 * entry the log dropped is skipped like a deleted one, and the table is rebuilt from the log when
 * such slots crowd it. Not thread-safe: the store calls it under the room's lock.
 */
final class KeptReplies {
    private static final int MIN_SLOTS = 16;

    private final CompactLog log;
    /** A slot holds its entry's position plus one; 0 marks a slot never used since the last rebuild. */
    private long[] positions = new long[MIN_SLOTS];
    private int[] hashes = new int[MIN_SLOTS];
    private int usedSlots;

    KeptReplies(int limit, long maxBytes) {
        this.log = new CompactLog(limit, maxBytes);
    }

    /** Remembers {@code reply} for {@code opKey}; a later reply for the same opKey replaces it. */
    void put(String opKey, String reply) {
        byte[] key = keyBytes(opKey);
        long position = log.append(0, key, reply.getBytes(StandardCharsets.UTF_8));
        if ((usedSlots + 1) * 2 > positions.length) {
            rebuild();
        } else {
            index(opKey.hashCode(), key, position);
        }
    }

    /** The reply remembered for {@code opKey}, or null if none is kept. */
    String get(String opKey) {
        byte[] key = keyBytes(opKey);
        int slot = find(opKey.hashCode(), key);
        return slot < 0 ? null : new String(log.second(positions[slot] - 1), StandardCharsets.UTF_8);
    }

    int size() {
        return log.size();
    }

    /** The heap its log's chunks and its table take. */
    long heapBytes() {
        return log.capacityBytes() + (long) positions.length * (Long.BYTES + Integer.BYTES);
    }

    /** The slot of the kept entry for {@code key}, or -1. */
    private int find(int hash, byte[] key) {
        int mask = positions.length - 1;
        for (int slot = spread(hash) & mask;; slot = slot + 1 & mask) {
            long stored = positions[slot];
            if (stored == 0) {
                return -1;
            }
            if (hashes[slot] == hash && log.kept(stored - 1) && log.firstEquals(stored - 1, key)) {
                return slot;
            }
        }
    }

    /** A slot never used, or one whose entry the log dropped, on {@code hash}'s probe path. */
    private int freeSlot(int hash) {
        int mask = positions.length - 1;
        for (int slot = spread(hash) & mask;; slot = slot + 1 & mask) {
            long stored = positions[slot];
            if (stored == 0 || !log.kept(stored - 1)) {
                if (stored != 0) {
                    usedSlots--;
                }
                return slot;
            }
        }
    }

    /** Indexes the log's kept entries afresh, in a table at most half full of them. */
    private void rebuild() {
        int slots = MIN_SLOTS;
        while (slots < (log.size() + 1) * 4) {
            slots <<= 1;
        }
        positions = new long[slots];
        hashes = new int[slots];
        usedSlots = 0;
        // Oldest first, so an opKey kept twice ends up pointing at its newer reply.
        for (long position = log.oldest(); position < log.end(); position = log.next(position)) {
            byte[] key = log.first(position);
            index(keyString(key).hashCode(), key, position);
        }
    }

    /** Points {@code key}'s slot at the entry at {@code position}, taking a free slot if it has none. */
    private void index(int hash, byte[] key, long position) {
        int slot = find(hash, key);
        if (slot < 0) {
            slot = freeSlot(hash);
            usedSlots++;
        }
        positions[slot] = position + 1;
        hashes[slot] = hash;
    }

    /**
     * An opKey as its UTF-16 code units, two bytes each: unlike UTF-8, this keeps an opId with an
     * unpaired surrogate apart from every other opId.
     */
    private static byte[] keyBytes(String opKey) {
        byte[] bytes = new byte[opKey.length() * 2];
        for (int i = 0; i < opKey.length(); i++) {
            char unit = opKey.charAt(i);
            bytes[2 * i] = (byte) (unit >>> 8);
            bytes[2 * i + 1] = (byte) unit;
        }
        return bytes;
    }

    private static String keyString(byte[] bytes) {
        char[] units = new char[bytes.length / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) ((bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff);
        }
        return new String(units);
    }

    private static int spread(int hash) {
        return hash ^ hash >>> 16;
    }
}

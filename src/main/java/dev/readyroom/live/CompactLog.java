package dev.readyroom.live;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code limit} entries of one room, oldest first and at most {@code maxBytes} of them
 * (the newest entry is kept whatever its size), each a number and two byte strings, packed into
 * 4 KiB chunks. Why not a queue of objects: what a room keeps for resuming clients and
 * retried commands outlives several collections, and as thousands of small objects per round it
 * was what made the young pauses long (docs/benchmarks.md). Here an append copies bytes into a
 * chunk that is already old, and a chunk freed at the oldest end is reused at the newest, so a log
 * at its limit allocates nothing. Not thread-safe: callers hold the room's lock.
 *
 * <p>
 * An entry is addressed by its position: the count of bytes appended before it, which never
 * changes, so a position held elsewhere stays valid until {@link #kept} says it was dropped.
 */
public final class CompactLog {
    public static final int CHUNK_BYTES = 4096;
    private static final int HEADER_BYTES = 4 + 8 + 4;

    private final int limit;
    private final long maxBytes;
    /** Chunk {@code i} holds the bytes from position {@code chunksStart + i * CHUNK_BYTES}. */
    private final List<byte[]> chunks = new ArrayList<>();
    private long chunksStart;
    private long oldest;
    private long end;
    private int size;

    public CompactLog(int limit, long maxBytes) {
        if (limit < 1) {
            throw new IllegalArgumentException("A log keeps at least one entry, not " + limit);
        }
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends an entry, dropping the oldest while {@code limit} are kept or the entries would pass
     * {@code maxBytes}; returns its position.
     */
    public long append(long number, byte[] first, byte[] second) {
        int length = HEADER_BYTES + first.length + second.length;
        while (size == limit || size > 0 && end - oldest + length > maxBytes) {
            dropOldest();
        }
        long position = end;
        reserve(length);
        writeInt(position, length);
        writeLong(position + 4, number);
        writeInt(position + 12, first.length);
        write(position + HEADER_BYTES, first);
        write(position + HEADER_BYTES + first.length, second);
        end = position + length;
        size++;
        return position;
    }

    public int size() {
        return size;
    }

    /** The position of the oldest entry kept; equal to {@link #end} when the log is empty. */
    public long oldest() {
        return oldest;
    }

    /** The position the next entry will get. */
    public long end() {
        return end;
    }

    /** Whether the entry at {@code position} (one this log returned) is still kept. */
    public boolean kept(long position) {
        return position >= oldest && position < end;
    }

    /** The position of the entry after the one at {@code position}. */
    public long next(long position) {
        return position + readInt(position);
    }

    public long number(long position) {
        return readLong(position + 4);
    }

    public byte[] first(long position) {
        return read(position + HEADER_BYTES, firstLength(position));
    }

    public byte[] second(long position) {
        int firstLength = firstLength(position);
        return read(position + HEADER_BYTES + firstLength, readInt(position) - HEADER_BYTES - firstLength);
    }

    /** Whether the entry's first byte string is {@code bytes}, compared in place. */
    public boolean firstEquals(long position, byte[] bytes) {
        if (firstLength(position) != bytes.length) {
            return false;
        }
        long at = position + HEADER_BYTES;
        for (int i = 0; i < bytes.length; i++) {
            if (byteAt(at + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes the kept entries take, headers included. */
    public long keptBytes() {
        return end - oldest;
    }

    /** Bytes held in chunks, used or not (for tests and sizing). */
    public long capacityBytes() {
        return (long) chunks.size() * CHUNK_BYTES;
    }

    private int firstLength(long position) {
        return readInt(position + 12);
    }

    private void dropOldest() {
        oldest = next(oldest);
        size--;
        // A chunk wholly before the oldest entry goes to the newest end, to be written again.
        while (oldest - chunksStart >= CHUNK_BYTES) {
            chunks.add(chunks.remove(0));
            chunksStart += CHUNK_BYTES;
        }
    }

    /** Makes room for {@code length} bytes at {@link #end}, adding chunks when the free ones do not suffice. */
    private void reserve(int length) {
        while (chunksStart + capacityBytes() < end + length) {
            chunks.add(new byte[CHUNK_BYTES]);
        }
    }

    private byte byteAt(long position) {
        long offset = position - chunksStart;
        return chunks.get((int) (offset / CHUNK_BYTES))[(int) (offset % CHUNK_BYTES)];
    }

    private void write(long position, byte[] bytes) {
        copy(position, bytes, true);
    }

    private byte[] read(long position, int length) {
        byte[] bytes = new byte[length];
        copy(position, bytes, false);
        return bytes;
    }

    /** Copies {@code bytes} into the log from {@code position} on, or the log's bytes there into them. */
    private void copy(long position, byte[] bytes, boolean intoLog) {
        int done = 0;
        while (done < bytes.length) {
            long offset = position + done - chunksStart;
            byte[] chunk = chunks.get((int) (offset / CHUNK_BYTES));
            int inChunk = (int) (offset % CHUNK_BYTES);
            int count = Math.min(bytes.length - done, CHUNK_BYTES - inChunk);
            if (intoLog) {
                System.arraycopy(bytes, done, chunk, inChunk, count);
            } else {
                System.arraycopy(chunk, inChunk, bytes, done, count);
            }
            done += count;
        }
    }

    private void writeInt(long position, int value) {
        for (int i = 0; i < 4; i++) {
            setByte(position + i, (byte) (value >>> (24 - 8 * i)));
        }
    }

    private void writeLong(long position, long value) {
        writeInt(position, (int) (value >>> 32));
        writeInt(position + 4, (int) value);
    }

    private int readInt(long position) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | byteAt(position + i) & 0xff;
        }
        return value;
    }

    private long readLong(long position) {
        return (long) readInt(position) << 32 | readInt(position + 4) & 0xffffffffL;
    }

    private void setByte(long position, byte value) {
        long offset = position - chunksStart;
        chunks.get((int) (offset / CHUNK_BYTES))[(int) (offset % CHUNK_BYTES)] = value;
    }
}

package dev.readyroom.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactLogTest {

    @Test
    void entriesComeBackOldestFirstWithTheirNumberAndBothByteStrings() {
        CompactLog log = new CompactLog(10, Long.MAX_VALUE);
        log.append(7, bytes("vote.cast"), bytes("{\"name\":\"Zoë\"}"));
        log.append(8, bytes(""), bytes("second"));

        long first = log.oldest();
        assertEquals(7, log.number(first));
        assertEquals("vote.cast", text(log.first(first)));
        assertEquals("{\"name\":\"Zoë\"}", text(log.second(first)));
        long second = log.next(first);
        assertEquals(8, log.number(second));
        assertEquals("", text(log.first(second)));
        assertEquals("second", text(log.second(second)));
        assertEquals(log.end(), log.next(second));
        assertEquals(2, log.size());
    }

    @Test
    void onceAtItsLimitEachAppendDropsTheOldestEntry() {
        CompactLog log = new CompactLog(3, Long.MAX_VALUE);
        List<Long> positions = new ArrayList<>();
        for (long number = 1; number <= 5; number++) {
            positions.add(log.append(number, bytes("t"), bytes("event " + number)));
        }

        assertEquals(List.of(3L, 4L, 5L), numbers(log));
        assertFalse(log.kept(positions.get(1)));
        assertTrue(log.kept(positions.get(2)));
        assertEquals(3, log.size());
    }

    @Test
    void theKeptEntriesStayWithinTheirBytesDroppingTheOldestButNeverTheNewest() {
        CompactLog log = new CompactLog(1_000, 10_000);
        for (long number = 1; number <= 100; number++) {
            log.append(number, bytes("t"), new byte[900]);
            assertTrue(log.keptBytes() <= 10_000, "kept " + log.keptBytes() + " bytes");
        }
        assertEquals(100L, numbers(log).get(numbers(log).size() - 1));
        assertEquals(10, log.size());
        assertTrue(log.capacityBytes() <= 10_000 + 2 * CompactLog.CHUNK_BYTES, "chunks are reused");

        log.append(101, bytes("t"), new byte[50_000]);
        assertEquals(List.of(101L), numbers(log));
    }

    @Test
    void entriesLongerThanAChunkAndEntriesAcrossChunkBordersReadBackWhole() {
        CompactLog log = new CompactLog(100, Long.MAX_VALUE);
        byte[] large = new byte[CompactLog.CHUNK_BYTES * 2 + 123];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] second = i % 10 == 3 ? large : bytes("x".repeat(97 + i));
            written.add(second);
            log.append(i, bytes("key " + i), second);
        }

        int i = 0;
        for (long position = log.oldest(); position < log.end(); position = log.next(position), i++) {
            assertEquals(i, log.number(position));
            assertTrue(log.firstEquals(position, bytes("key " + i)));
            assertFalse(log.firstEquals(position, bytes("key " + (i + 1))));
            assertArrayEquals(written.get(i), log.second(position));
        }
        assertEquals(40, i);
    }

    @Test
    void aLogAtItsLimitReusesItsChunksInsteadOfGrowing() {
        CompactLog log = new CompactLog(50, Long.MAX_VALUE);
        for (long number = 0; number < 50; number++) {
            log.append(number, bytes("vote.cast"), bytes("y".repeat(300)));
        }
        long capacityAtLimit = log.capacityBytes();

        for (long number = 50; number < 5_000; number++) {
            log.append(number, bytes("vote.cast"), bytes("y".repeat(300)));
        }

        // The kept bytes may straddle one more chunk than they did, never more.
        assertTrue(log.capacityBytes() <= capacityAtLimit + CompactLog.CHUNK_BYTES,
                () -> log.capacityBytes() + " bytes held, " + capacityAtLimit + " at the limit");
        assertEquals(4_950L, numbers(log).get(0));
        assertEquals(4_999L, numbers(log).get(49));
    }

    @Test
    void aLogKeepsAtLeastOneEntry() {
        assertThrows(IllegalArgumentException.class, () -> new CompactLog(0, Long.MAX_VALUE));
    }

    private static List<Long> numbers(CompactLog log) {
        List<Long> numbers = new ArrayList<>();
        for (long position = log.oldest(); position < log.end(); position = log.next(position)) {
            numbers.add(log.number(position));
        }
        return numbers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package dev.readyroom.live.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class KeptRepliesTest {

    @Test
    void aReplyIsFoundByItsOpKeyAndAnUnknownOpKeyFindsNothing() {
        KeptReplies replies = new KeptReplies(100, Long.MAX_VALUE);
        replies.put("p1:op-1", "{\"type\":\"ack\",\"opId\":\"op-1\",\"version\":4}");
        replies.put("p2:op-1", "{\"type\":\"error\",\"opId\":\"op-1\",\"code\":\"not_allowed\"}");

        assertEquals("{\"type\":\"ack\",\"opId\":\"op-1\",\"version\":4}", replies.get("p1:op-1"));
        assertEquals("{\"type\":\"error\",\"opId\":\"op-1\",\"code\":\"not_allowed\"}", replies.get("p2:op-1"));
        assertNull(replies.get("p3:op-1"));
    }

    @Test
    void onlyTheLastLimitRepliesAreKeptAndEveryKeptOneIsStillFound() {
        KeptReplies replies = new KeptReplies(1_000, Long.MAX_VALUE);
        for (int i = 0; i < 25_000; i++) {
            replies.put("participant-" + i % 37 + ":op-" + i, "reply " + i);
        }

        assertEquals(1_000, replies.size());
        for (int i = 0; i < 24_000; i += 97) {
            assertNull(replies.get("participant-" + i % 37 + ":op-" + i), "op-" + i + " should be dropped");
        }
        for (int i = 24_000; i < 25_000; i++) {
            assertEquals("reply " + i, replies.get("participant-" + i % 37 + ":op-" + i));
        }
    }

    @Test
    void opKeysWithTheSameHashAreKeptApart() {
        KeptReplies replies = new KeptReplies(10, Long.MAX_VALUE);
        // "Aa" and "BB" have the same String hash code.
        replies.put("p:Aa", "first");
        replies.put("p:BB", "second");

        assertEquals("first", replies.get("p:Aa"));
        assertEquals("second", replies.get("p:BB"));
    }

    @Test
    void opIdsThatDifferOnlyInUnpairedSurrogatesAreKeptApart() {
        KeptReplies replies = new KeptReplies(10, Long.MAX_VALUE);
        replies.put("p:\ud800", "high");
        replies.put("p:\udc00", "low");

        assertEquals("high", replies.get("p:\ud800"));
        assertEquals("low", replies.get("p:\udc00"));
        assertNull(replies.get("p:?"));
    }

    @Test
    void aSecondReplyForAnOpKeyReplacesTheFirst() {
        KeptReplies replies = new KeptReplies(10, Long.MAX_VALUE);
        replies.put("p:op", "rejected");
        replies.put("p:op", "committed");

        assertEquals("committed", replies.get("p:op"));
    }
}

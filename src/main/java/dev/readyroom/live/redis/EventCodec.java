package dev.readyroom.live.redis;

import dev.readyroom.domain.EventType;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.WireFormat;

/**
 * How an event travels through Redis (pub/sub and stream alike): {@code "<version> <epoch> <type>
 * <json>"}. The header lets a node order and route an event without parsing its JSON, and the JSON
 * is forwarded to clients as the committing node wrote it.
 */
final class EventCodec {

    private EventCodec() {
    }

    static String encode(PublishedEvent event) {
        return event.version() + " " + event.epoch() + " " + event.type().wireName() + " " + event.json();
    }

    static PublishedEvent decode(String roomId, String packed) {
        int first = packed.indexOf(' ');
        int second = packed.indexOf(' ', first + 1);
        int third = packed.indexOf(' ', second + 1);
        if (first < 1 || second < 0 || third < 0) {
            throw new IllegalArgumentException("Not an event of this service");
        }
        EventType type = EventType.ofWireName(packed.substring(second + 1, third));
        String json = packed.substring(third + 1);
        return new PublishedEvent(roomId, packed.substring(first + 1, second),
                Long.parseLong(packed.substring(0, first)), type, json, WireFormat.membershipIn(type, json));
    }
}

package dev.readyroom.live.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.readyroom.domain.RoomState;
import java.io.IOException;

/**
 * A room's full state as JSON in Redis. Its own mapper, so customizations of the wire mapper never
 * change what is stored, and unknown fields are skipped so an older node can read a newer state.
 */
final class StateCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** As UTF-8 bytes, which is what goes to Redis: no string made and encoded again per commit. */
    byte[] write(RoomState state) {
        try {
            return mapper.writeValueAsBytes(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a room state", e);
        }
    }

    RoomState read(byte[] json) {
        try {
            return mapper.readValue(json, RoomState.class);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read a room state from Redis", e);
        }
    }
}

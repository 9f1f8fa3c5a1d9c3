package dev.readyroom.live.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.RoomState;
import java.io.IOException;
import java.util.List;

/**
 * A room's state as JSON in Redis, in two parts: the backlog (items with their revealed rounds,
 * most of a room's bytes, which few changes touch) and the rest. Its own mapper, so customizations
 * of the wire mapper never change what is stored, and unknown fields are skipped so an older node
 * can read a newer state.
 */
final class StateCodec {
    private static final TypeReference<List<BacklogItem>> ITEMS = new TypeReference<>() {
    };

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final ObjectWriter itemsWriter = mapper.writerFor(ITEMS);
    private final ObjectReader itemsReader = mapper.readerFor(ITEMS);

    /** The state without its backlog, as UTF-8 bytes, which is what goes to Redis. */
    byte[] writeHead(RoomState state) {
        try {
            return mapper.writeValueAsBytes(withItems(state, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a room state", e);
        }
    }

    byte[] writeItems(List<BacklogItem> items) {
        try {
            return itemsWriter.writeValueAsBytes(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a room's backlog", e);
        }
    }

    /** A head as {@link #writeHead} wrote it (its backlog empty), or a whole state as nodes before it wrote. */
    RoomState readHead(byte[] json) {
        try {
            return mapper.readValue(json, RoomState.class);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read a room state from Redis", e);
        }
    }

    List<BacklogItem> readItems(byte[] json) {
        try {
            return itemsReader.readValue(json);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read a room's backlog from Redis", e);
        }
    }

    static RoomState withItems(RoomState state, List<BacklogItem> items) {
        return new RoomState(state.id(), state.name(), state.deck(), state.settings(), state.facilitatorKeyHash(),
                state.facilitatorId(), state.participants(), items, state.round(), state.quickRounds(),
                state.lastRoundNumber(), state.lastItemNumber(), state.maxParticipants(), state.version(),
                state.notice(), state.keptOut(), state.deleted(), state.scribeId(), state.timebox());
    }
}

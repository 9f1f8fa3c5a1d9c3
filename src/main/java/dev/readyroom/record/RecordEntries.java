package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.domain.RoomState;
import dev.readyroom.live.PublishedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The entries of the record outbox: the public wire events that change what the record keeps,
 * plus {@code room.created}, which is not a live event (nobody is in the room yet).
 */
@ApplicationScoped
public class RecordEntries {
    public static final String ROOM_CREATED = "room.created";

    /** Presence, joins and hidden votes never reach the record; round.started only says a round is open. */
    private static final Set<String> RECORDED = Set.of(ROOM_CREATED, "settings.changed", "item.added",
            "item.updated", "item.removed", "item.estimated", "round.started", "round.revealed");

    private final ObjectMapper mapper;

    public RecordEntries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static boolean matters(String type) {
        return RECORDED.contains(type);
    }

    /** The entry for a new room; it carries the facilitator key hash so a rebuilt room accepts the same key. */
    public PublishedEvent roomCreated(RoomState state, String epoch) {
        Map<String, Object> room = new LinkedHashMap<>();
        room.put("id", state.id());
        room.put("name", state.name());
        room.put("deck", state.deck());
        room.put("settings", state.settings());
        room.put("facilitatorKeyHash", state.facilitatorKeyHash());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", ROOM_CREATED);
        message.put("epoch", epoch);
        message.put("version", state.version());
        message.put("room", room);
        try {
            return new PublishedEvent(state.id(), epoch, state.version(), ROOM_CREATED,
                    mapper.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a record entry", e);
        }
    }
}

package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.live.PublishedEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one outbox entry to PostgreSQL in one transaction. Idempotent: rows are upserted on their
 * natural keys and only replaced by an entry of a higher room version, so a delivery repeated or
 * delivered late changes nothing. Callers need a safe Vert.x context ({@link SafeContext}).
 */
@ApplicationScoped
public class RecordWriter {
    private final ObjectMapper mapper;

    public RecordWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @WithTransaction
    public Uni<Void> write(PublishedEvent entry, Instant committedAt) {
        JsonNode event = read(entry.json());
        OffsetDateTime at = committedAt.atOffset(ZoneOffset.UTC);
        Uni<Void> specific = switch (entry.type()) {
            case RecordEntries.ROOM_CREATED -> roomCreated(event.get("room"), entry.version(), at);
            case "settings.changed" -> settingsChanged(entry, event.get("settings"));
            case "item.added", "item.updated" -> upsertItem(entry, event.get("item"));
            case "item.estimated" -> upsertItem(entry, event.get("item")).call(() -> estimate(entry, event, at));
            case "item.removed" -> removeItem(entry, event.get("itemId").asText());
            case "round.started" -> roundStarted(entry, event.get("round"))
                    .call(() -> upsertItem(entry, event.get("item")));
            case "round.revealed" -> roundRevealed(entry, event.get("round"), at)
                    .call(() -> upsertItem(entry, event.get("item")));
            default -> Uni.createFrom().voidItem();
        };
        return specific.call(() -> sql("update room set version = greatest(version, :version), updated_at = :at"
                + " where id = :room", Map.of("version", entry.version(), "at", at, "room", entry.roomId())))
                .replaceWithVoid();
    }

    private Uni<Void> roomCreated(JsonNode room, long version, OffsetDateTime at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", room.get("id").asText());
        p.put("name", room.get("name").asText());
        p.put("deckId", room.path("deck").path("id").asText());
        p.put("deckName", room.path("deck").path("name").asText());
        p.put("deckCards", room.path("deck").path("cards").toString());
        p.put("autoReveal", room.path("settings").path("autoReveal").asBoolean(false));
        p.put("keyHash", room.get("facilitatorKeyHash").asText());
        p.put("version", version);
        p.put("at", at);
        return sql("insert into room (id, name, deck_id, deck_name, deck_cards, auto_reveal, facilitator_key_hash,"
                + " last_item_number, last_round_number, version, created_at, updated_at)"
                + " values (:id, :name, :deckId, :deckName, :deckCards, :autoReveal, :keyHash, 0, 0, :version, :at, :at)"
                + " on conflict (id) do nothing", p);
    }

    private Uni<Void> settingsChanged(PublishedEvent entry, JsonNode settings) {
        return sql("update room set auto_reveal = :autoReveal where id = :room and version < :version",
                Map.of("autoReveal", settings.path("autoReveal").asBoolean(false), "room", entry.roomId(),
                        "version", entry.version()));
    }

    private Uni<Void> upsertItem(PublishedEvent entry, JsonNode item) {
        if (item == null || item.isNull()) {
            return Uni.createFrom().voidItem();
        }
        int position = position(item.get("id").asText());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", entry.roomId());
        p.put("item", item.get("id").asText());
        p.put("position", position);
        p.put("title", item.path("title").asText(""));
        p.put("description", item.path("description").asText(""));
        p.put("acceptance", item.path("acceptanceCriteria").asText(""));
        p.put("reference", text(item.get("reference")));
        p.put("estimate", text(item.get("estimate")));
        p.put("status", item.path("status").asText("pending"));
        p.put("ready", item.path("readiness").path("ready").asBoolean(false));
        p.put("missing", joined(item.path("readiness").path("missing")));
        p.put("openFlags", joined(item.path("openFlags")));
        p.put("resolvedFlags", String.join(",", resolvedFlags(item)));
        p.put("version", entry.version());
        return sql("insert into backlog_item (room_id, item_id, position, title, description, acceptance_criteria,"
                + " reference, estimate, status, ready, missing, open_flags, resolved_flags, removed, version)"
                + " values (:room, :item, :position, :title, :description, :acceptance, :reference, :estimate,"
                + " :status, :ready, :missing, :openFlags, :resolvedFlags, false, :version)"
                + " on conflict (room_id, item_id) do update set position = excluded.position,"
                + " title = excluded.title, description = excluded.description,"
                + " acceptance_criteria = excluded.acceptance_criteria, reference = excluded.reference,"
                + " estimate = excluded.estimate, status = excluded.status, ready = excluded.ready,"
                + " missing = excluded.missing, open_flags = excluded.open_flags,"
                + " resolved_flags = excluded.resolved_flags, version = excluded.version"
                + " where backlog_item.version < excluded.version", p)
                .call(() -> sql("update room set last_item_number = greatest(last_item_number, :position)"
                        + " where id = :room", Map.of("position", position, "room", entry.roomId())));
    }

    private Uni<Void> removeItem(PublishedEvent entry, String itemId) {
        return sql("update backlog_item set removed = true, version = :version"
                + " where room_id = :room and item_id = :item and version < :version",
                Map.of("version", entry.version(), "room", entry.roomId(), "item", itemId));
    }

    private Uni<Void> estimate(PublishedEvent entry, JsonNode event, OffsetDateTime at) {
        JsonNode item = event.get("item");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", entry.roomId());
        p.put("item", item.get("id").asText());
        p.put("value", text(item.get("estimate")));
        p.put("version", entry.version());
        p.put("at", at);
        return sql("insert into settled_estimate (room_id, item_id, value, version, settled_at)"
                + " values (:room, :item, :value, :version, :at) on conflict (room_id, version) do nothing", p);
    }

    private Uni<Void> roundStarted(PublishedEvent entry, JsonNode round) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("number", round.get("number").asInt());
        p.put("item", text(round.get("itemId")));
        p.put("room", entry.roomId());
        p.put("version", entry.version());
        return sql("update room set last_round_number = greatest(last_round_number, :number),"
                + " open_round_number = :number, open_round_item_id = :item"
                + " where id = :room and version < :version", p);
    }

    /** The only place votes are written: after their reveal, never before. */
    private Uni<Void> roundRevealed(PublishedEvent entry, JsonNode round, OffsetDateTime at) {
        int number = round.get("number").asInt();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", entry.roomId());
        p.put("number", number);
        p.put("item", text(round.get("itemId")));
        p.put("stats", round.path("stats").toString());
        p.put("consensus", round.path("stats").path("consensus").asBoolean(false));
        p.put("at", at);
        p.put("version", entry.version());
        Uni<Void> written = sql("insert into estimation_round (room_id, number, item_id, stats, consensus, revealed_at,"
                + " version) values (:room, :number, :item, :stats, :consensus, :at, :version)"
                + " on conflict (room_id, number) do nothing", p);
        int position = 0;
        for (JsonNode vote : round.path("votes")) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("room", entry.roomId());
            v.put("number", number);
            v.put("position", position++);
            v.put("participant", vote.get("participantId").asText());
            v.put("name", vote.path("name").asText(""));
            v.put("value", vote.get("value").asText());
            v.put("flags", joined(vote.path("flags")));
            written = written.call(() -> sql("insert into revealed_vote (round_id, room_id, position, participant_id,"
                    + " name, value, flags) select r.id, r.room_id, :position, :participant, :name, :value, :flags"
                    + " from estimation_round r where r.room_id = :room and r.number = :number"
                    + " on conflict (round_id, participant_id) do nothing", v));
        }
        return written.call(() -> sql("update room set last_round_number = greatest(last_round_number, :number),"
                + " open_round_number = case when open_round_number <= :number then null else open_round_number end,"
                + " open_round_item_id = case when open_round_number <= :number then null else open_round_item_id end"
                + " where id = :room", Map.of("number", number, "room", entry.roomId())));
    }

    private static Uni<Void> sql(String sql, Map<String, Object> parameters) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            parameters.forEach(query::setParameter);
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /** Flags raised in the item's latest round that are no longer open were resolved. */
    private static List<String> resolvedFlags(JsonNode item) {
        JsonNode rounds = item.path("rounds");
        if (!rounds.isArray() || rounds.isEmpty()) {
            return List.of();
        }
        Set<String> raised = new LinkedHashSet<>();
        for (JsonNode vote : rounds.get(rounds.size() - 1).path("votes")) {
            vote.path("flags").forEach(flag -> raised.add(flag.asText()));
        }
        item.path("openFlags").forEach(flag -> raised.remove(flag.asText()));
        return new ArrayList<>(raised);
    }

    /** Items are numbered as they are added ({@code i1}, {@code i2}, ...): the backlog order. */
    static int position(String itemId) {
        try {
            return Integer.parseInt(itemId.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String joined(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return String.join(",", values);
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An outbox entry is not JSON", e);
        }
    }
}

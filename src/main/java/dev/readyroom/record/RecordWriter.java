package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.live.PublishedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes outbox entries to PostgreSQL, a batch in one transaction. Idempotent: rows are upserted on
 * their natural keys and only replaced by an entry of a higher room version, so a delivery repeated
 * or delivered late changes nothing.
 *
 * <p>The writes are SQL upserts that JPA cannot express, so they go straight to the reactive pool
 * that Hibernate Reactive itself uses, not through a Hibernate session: a native query through the
 * session cost about 150 µs of CPU per statement, more than the live work of the round it recorded
 * (docs/benchmarks.md). Reads (exports, rebuilds) use the Panache entities.
 */
@ApplicationScoped
public class RecordWriter {
    private final ObjectMapper mapper;
    private final Pool pool;

    public RecordWriter(ObjectMapper mapper, Pool pool) {
        this.mapper = mapper;
        this.pool = pool;
    }

    /** An outbox entry: a committed event, and when the live store committed it. */
    public record Entry(PublishedEvent event, Instant committedAt) {
    }

    public Uni<Void> write(PublishedEvent event, Instant committedAt) {
        return writeAll(List.of(new Entry(event, committedAt)));
    }

    /**
     * Several entries, in order, in one transaction: one commit instead of one per entry. The
     * transaction first locks its rooms' rows, in id order: in a cluster every node drains the one
     * outbox stream, so two batches can hold entries of the same rooms, and upserting an item before
     * its room's row let two of them wait on each other until PostgreSQL broke the deadlock (seen in
     * a cluster benchmark). With the rooms locked first, batches of the same room take turns.
     */
    public Uni<Void> writeAll(List<Entry> entries) {
        List<Statement> statements = new ArrayList<>();
        statements.add(lockRooms(entries));
        for (Entry entry : entries) {
            statements.addAll(statements(entry.event(), entry.committedAt()));
        }
        return pool.withTransaction(connection -> execute(connection, statements));
    }

    /**
     * Sends every statement at once, in order: the connection pipelines them, so a batch costs one
     * round trip rather than one per statement. The first failure aborts the transaction.
     */
    private static Uni<Void> execute(SqlConnection connection, List<Statement> statements) {
        if (statements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<RowSet<Row>>> executed = new ArrayList<>(statements.size());
        for (Statement statement : statements) {
            Positional positional = Positional.of(statement.sql());
            executed.add(connection.preparedQuery(positional.sql()).execute(positional.tuple(statement.parameters())));
        }
        return Uni.join().all(executed).andFailFast().replaceWithVoid();
    }

    private static Statement lockRooms(List<Entry> entries) {
        String[] rooms = entries.stream().map(entry -> entry.event().roomId()).distinct().sorted()
                .toArray(String[]::new);
        return new Statement("select id from room where id = any(:rooms) order by id for update",
                Map.of("rooms", rooms));
    }

    /** One SQL statement with named parameters ({@code :name}). */
    private record Statement(String sql, Map<String, Object> parameters) {
    }

    /**
     * A statement's SQL with its named parameters turned into PostgreSQL's {@code $1, $2, ...}, worked
     * out once per statement text: the writes stay readable, and each text is prepared once per
     * connection.
     */
    private record Positional(String sql, List<String> names) {
        private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");
        private static final Map<String, Positional> CACHE = new ConcurrentHashMap<>();

        static Positional of(String named) {
            return CACHE.computeIfAbsent(named, sql -> {
                List<String> names = new ArrayList<>();
                Matcher matcher = NAMED.matcher(sql);
                StringBuilder positional = new StringBuilder();
                while (matcher.find()) {
                    int index = names.indexOf(matcher.group(1));
                    if (index < 0) {
                        names.add(matcher.group(1));
                        index = names.size() - 1;
                    }
                    matcher.appendReplacement(positional, "\\$" + (index + 1));
                }
                matcher.appendTail(positional);
                return new Positional(positional.toString(), List.copyOf(names));
            });
        }

        Tuple tuple(Map<String, Object> parameters) {
            Tuple tuple = Tuple.tuple();
            for (String name : names) {
                if (!parameters.containsKey(name)) {
                    throw new IllegalArgumentException("No value for :" + name);
                }
                tuple.addValue(parameters.get(name));
            }
            return tuple;
        }
    }

    /**
     * The entry's own rows, then one update of its room row. Statements are few on purpose: every
     * round writes its reveal, its votes and its item, and each statement is a round trip.
     */
    private List<Statement> statements(PublishedEvent entry, Instant committedAt) {
        JsonNode event = read(entry.json());
        OffsetDateTime at = committedAt.atOffset(ZoneOffset.UTC);
        RoomUpdate room = new RoomUpdate(entry, at);
        List<Statement> out = new ArrayList<>();
        switch (entry.type()) {
            case RecordEntries.ROOM_CREATED -> out.add(roomCreated(event.get("room"), entry.version(), at));
            case "settings.changed" ->
                    room.ifNewer("auto_reveal", "autoReveal", event.path("settings").path("autoReveal").asBoolean(false));
            case "item.added", "item.updated" -> upsertItem(entry, event.get("item"), room, out);
            case "item.estimated" -> {
                upsertItem(entry, event.get("item"), room, out);
                out.add(estimate(entry, event, at));
            }
            case "item.removed" -> out.add(removeItem(entry, event.get("itemId").asText()));
            case "round.started" -> {
                roundStarted(event.get("round"), room);
                upsertItem(entry, event.get("item"), room, out);
            }
            case "round.revealed" -> {
                out.add(roundRevealed(entry, event.get("round"), at, room));
                upsertItem(entry, event.get("item"), room, out);
            }
            default -> {
                // Not part of the record: only the room's version moves.
            }
        }
        out.add(new Statement(room.sql(), room.parameters));
        return out;
    }

    /**
     * The one update of the room row an entry makes. Every assignment sees the row as it was before
     * the update, so "is this entry newer than the row" is asked of the old version.
     */
    private static final class RoomUpdate {
        private final StringBuilder assignments = new StringBuilder(
                "version = greatest(version, :version), updated_at = :at");
        final Map<String, Object> parameters = new LinkedHashMap<>();

        RoomUpdate(PublishedEvent entry, OffsetDateTime at) {
            parameters.put("room", entry.roomId());
            parameters.put("version", entry.version());
            parameters.put("at", at);
        }

        /** Sets the column only when the room row has not seen a later entry. */
        void ifNewer(String column, String parameter, Object value) {
            parameters.put(parameter, value);
            set(column, "case when version < :version then :" + parameter + " else " + column + " end");
        }

        void atLeast(String column, String parameter, int value) {
            parameters.put(parameter, value);
            set(column, "greatest(" + column + ", :" + parameter + ")");
        }

        void set(String column, String expression) {
            assignments.append(", ").append(column).append(" = ").append(expression);
        }

        String sql() {
            return "update room set " + assignments + " where id = :room";
        }
    }

    private static Statement roomCreated(JsonNode room, long version, OffsetDateTime at) {
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
        return new Statement("insert into room (id, name, deck_id, deck_name, deck_cards, auto_reveal, facilitator_key_hash,"
                + " last_item_number, last_round_number, version, created_at, updated_at)"
                + " values (:id, :name, :deckId, :deckName, :deckCards, :autoReveal, :keyHash, 0, 0, :version, :at, :at)"
                + " on conflict (id) do nothing", p);
    }

    private static void upsertItem(PublishedEvent entry, JsonNode item, RoomUpdate room, List<Statement> out) {
        if (item == null || item.isNull()) {
            return;
        }
        int position = position(item.get("id").asText());
        room.atLeast("last_item_number", "position", position);
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
        out.add(new Statement("insert into backlog_item (room_id, item_id, position, title, description, acceptance_criteria,"
                + " reference, estimate, status, ready, missing, open_flags, resolved_flags, removed, version)"
                + " values (:room, :item, :position, :title, :description, :acceptance, :reference, :estimate,"
                + " :status, :ready, :missing, :openFlags, :resolvedFlags, false, :version)"
                + " on conflict (room_id, item_id) do update set position = excluded.position,"
                + " title = excluded.title, description = excluded.description,"
                + " acceptance_criteria = excluded.acceptance_criteria, reference = excluded.reference,"
                + " estimate = excluded.estimate, status = excluded.status, ready = excluded.ready,"
                + " missing = excluded.missing, open_flags = excluded.open_flags,"
                + " resolved_flags = excluded.resolved_flags, version = excluded.version"
                + " where backlog_item.version < excluded.version", p));
    }

    private static Statement removeItem(PublishedEvent entry, String itemId) {
        return new Statement("update backlog_item set removed = true, version = :version"
                + " where room_id = :room and item_id = :item and version < :version",
                Map.of("version", entry.version(), "room", entry.roomId(), "item", itemId));
    }

    private static Statement estimate(PublishedEvent entry, JsonNode event, OffsetDateTime at) {
        JsonNode item = event.get("item");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", entry.roomId());
        p.put("item", item.get("id").asText());
        p.put("value", text(item.get("estimate")));
        p.put("version", entry.version());
        p.put("at", at);
        return new Statement("insert into settled_estimate (room_id, item_id, value, version, settled_at)"
                + " values (:room, :item, :value, :version, :at) on conflict (room_id, version) do nothing", p);
    }

    private static void roundStarted(JsonNode round, RoomUpdate room) {
        int number = round.get("number").asInt();
        room.atLeast("last_round_number", "number", number);
        room.ifNewer("open_round_number", "openNumber", number);
        room.ifNewer("open_round_item_id", "openItem", text(round.get("itemId")));
    }

    /**
     * The only place votes are written: after their reveal, never before. The round and its votes
     * go in one statement; a repeated delivery finds the round there and inserts nothing.
     */
    private static Statement roundRevealed(PublishedEvent entry, JsonNode round, OffsetDateTime at,
            RoomUpdate room) {
        int number = round.get("number").asInt();
        room.atLeast("last_round_number", "number", number);
        room.set("open_round_number",
                "case when open_round_number <= :number then null else open_round_number end");
        room.set("open_round_item_id",
                "case when open_round_number <= :number then null else open_round_item_id end");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", entry.roomId());
        p.put("number", number);
        p.put("item", text(round.get("itemId")));
        p.put("stats", round.path("stats").toString());
        p.put("consensus", round.path("stats").path("consensus").asBoolean(false));
        p.put("at", at);
        p.put("version", entry.version());
        String insertRound = "insert into estimation_round (room_id, number, item_id, stats, consensus, revealed_at,"
                + " version) values (:room, :number, :item, :stats, :consensus, :at, :version)"
                + " on conflict (room_id, number) do nothing";
        StringBuilder votes = new StringBuilder();
        int position = 0;
        for (JsonNode vote : round.path("votes")) {
            votes.append(position == 0 ? "" : ", ").append("(").append(position)
                    .append(", :participant").append(position).append(", :name").append(position)
                    .append(", :value").append(position).append(", :flags").append(position).append(")");
            p.put("participant" + position, vote.get("participantId").asText());
            p.put("name" + position, vote.path("name").asText(""));
            p.put("value" + position, vote.get("value").asText());
            p.put("flags" + position, joined(vote.path("flags")));
            position++;
        }
        if (position == 0) {
            return new Statement(insertRound, p);
        }
        return new Statement("with r as (" + insertRound + " returning id, room_id)"
                + " insert into revealed_vote (round_id, room_id, position, participant_id, name, value, flags)"
                + " select r.id, r.room_id, v.position, v.participant, v.name, v.value, v.flags from r,"
                + " (values " + votes + ") as v (position, participant, name, value, flags)"
                + " on conflict (round_id, participant_id) do nothing", p);
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

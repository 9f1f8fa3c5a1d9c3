package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordEraser;
import dev.readyroom.live.RecordSink;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
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
public class RecordWriter implements RecordSink, RecordEraser {
    private final ObjectMapper mapper;
    private final Pool pool;
    private final SafeContext safeContext;

    public RecordWriter(ObjectMapper mapper, Pool pool, SafeContext safeContext) {
        this.mapper = mapper;
        this.pool = pool;
        this.safeContext = safeContext;
    }

    /**
     * Several entries, in order, in one transaction: one commit instead of one per entry. The
     * transaction first locks its rooms' rows, in id order: in a cluster every node drains the one
     * outbox stream, so two batches can hold entries of the same rooms, and upserting an item before
     * its room's row let two of them wait on each other until PostgreSQL broke the deadlock (seen in
     * a cluster benchmark). With the rooms locked first, batches of the same room take turns.
     */
    @Override
    public Uni<Void> writeAll(List<Entry> entries) {
        Batch batch = new Batch();
        for (Entry entry : entries) {
            batch.add(entry.event(), entry.committedAt());
        }
        List<Statement> statements = batch.statements();
        return safeContext.run(() -> pool.withTransaction(connection -> execute(connection, statements)));
    }

    @Override
    public Uni<Void> erase(String roomId) {
        Statement erase = eraseRooms(List.of(roomId));
        return safeContext.run(() -> pool.withTransaction(connection -> execute(connection, List.of(erase))));
    }

    @Override
    public boolean refusesForGood(Throwable failure) {
        return WriteFailures.isPermanent(failure);
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

    private static Statement lockRooms(Collection<String> roomIds) {
        String[] rooms = roomIds.stream().sorted().toArray(String[]::new);
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
     * A batch's rows, gathered by table, then written with one multi-row statement per table
     * ({@code unnest} of one array per column) instead of a few statements per entry: PostgreSQL's
     * CPU per entry was mostly the per-statement work (docs/benchmarks.md). The result is the same
     * as writing the entries one after another, which RecordWriterTest checks:
     * <ul>
     * <li>an item written twice keeps the entry of the higher version, as the versioned upsert would;
     * <li>rounds and estimates are insert-only, so their order does not matter;
     * <li>each room row is updated once per statement (PostgreSQL updates a row once per statement
     *     whatever the input), so a room's second entry in the batch goes to a second statement,
     *     its third to a third, in order.
     * </ul>
     * Removals stay one statement each, after the upserts: an item is never updated after its
     * removal, so a later upsert of the same item cannot be in the batch.
     */
    private final class Batch {
        private final List<Statement> roomsCreated = new ArrayList<>();
        private final Map<String, ItemRow> items = new LinkedHashMap<>();
        private final List<Statement> removals = new ArrayList<>();
        private final List<EstimateRow> estimates = new ArrayList<>();
        private final List<NoteRow> notes = new ArrayList<>();
        private final Map<String, RoundRow> rounds = new LinkedHashMap<>();
        /** Each room's updates, in the batch's order. */
        private final Map<String, List<RoomRow>> roomUpdates = new LinkedHashMap<>();
        /** New backlog orders (moves, splits), after the items they place. */
        private final List<Statement> orders = new ArrayList<>();
        /** Rooms deleted by an entry of the batch: erased after everything else, the schema cascades. */
        private final Set<String> deletedRooms = new LinkedHashSet<>();

        void add(PublishedEvent entry, Instant committedAt) {
            JsonNode event = read(entry.json());
            OffsetDateTime at = committedAt.atOffset(ZoneOffset.UTC);
            RoomRow room = new RoomRow(entry.roomId(), entry.version(), at);
            switch (entry.type()) {
                case ROOM_CREATED -> roomsCreated.add(roomCreated(event.get("room"), entry.version(), at));
                case SETTINGS_CHANGED -> {
                    JsonNode settings = event.path("settings");
                    room.autoReveal = settings.path("autoReveal").asBoolean(false);
                    room.settingsChanged = true;
                    room.readiness = settings.path("readiness").isObject() ? settings.get("readiness").toString()
                            : null;
                    room.velocity = settings.path("velocity").isNumber() ? settings.get("velocity").asDouble() : null;
                    room.preVoting = settings.path("preVoting").asBoolean(false);
                }
                case NOTE_ADDED -> {
                    JsonNode note = event.get("note");
                    notes.add(new NoteRow(entry.roomId(), event.get("itemId").asText(), note.get("number").asInt(),
                            note.path("round").isInt() ? note.get("round").asInt() : null,
                            note.path("author").asText(""), note.path("text").asText(""), entry.version(), at));
                }
                case ITEM_ADDED, ITEM_UPDATED -> item(entry, event.get("item"), room);
                case ITEM_ESTIMATED -> {
                    item(entry, event.get("item"), room);
                    JsonNode item = event.get("item");
                    estimates.add(new EstimateRow(entry.roomId(), item.get("id").asText(), text(item.get("estimate")),
                            entry.version(), at));
                }
                case ITEM_REMOVED -> removals.add(removeItem(entry, event.get("itemId").asText()));
                case ROUND_STARTED -> {
                    JsonNode round = event.get("round");
                    room.round = round.get("number").asInt();
                    room.opened = room.round;
                    room.openedItem = text(round.get("itemId"));
                    item(entry, event.get("item"), room);
                }
                case ROUND_REVEALED -> {
                    round(entry, event.get("round"), at, room);
                    item(entry, event.get("item"), room);
                }
                case ITEM_SPLIT -> {
                    item(entry, event.get("item"), room);
                    event.path("children").forEach(child -> item(entry, child, room));
                    orders.add(reorder(entry, event.get("order")));
                }
                case ITEM_MOVED -> orders.add(reorder(entry, event.get("order")));
                case ROOM_DELETED -> deletedRooms.add(entry.roomId());
                default -> {
                    // Not part of the record: only the room's version moves.
                }
            }
            roomUpdates.computeIfAbsent(entry.roomId(), id -> new ArrayList<>()).add(room);
        }

        private void item(PublishedEvent entry, JsonNode item, RoomRow room) {
            if (item == null || item.isNull()) {
                return;
            }
            ItemRow row = new ItemRow(entry.roomId(), item.get("id").asText(), position(item.get("id").asText()),
                    item.path("title").asText(""), item.path("description").asText(""),
                    item.path("acceptanceCriteria").asText(""), text(item.get("reference")),
                    text(item.get("estimate")), item.path("status").asText("pending"),
                    item.path("readiness").path("ready").asBoolean(false), joined(item.path("readiness").path("missing")),
                    joined(item.path("openFlags")), String.join(",", resolvedFlags(item)),
                    item.path("value").asText(""), item.path("dependencies").asText(""), text(item.get("parentId")),
                    item.path("resolutions").isArray() ? item.get("resolutions").toString() : "[]", entry.version());
            room.position = Math.max(room.position == null ? 0 : room.position, row.position());
            items.merge(row.room() + "/" + row.item(), row, (kept, next) -> next.version() > kept.version() ? next : kept);
        }

        private void round(PublishedEvent entry, JsonNode round, OffsetDateTime at, RoomRow room) {
            int number = round.get("number").asInt();
            room.round = number;
            room.revealed = number;
            List<VoteRow> votes = new ArrayList<>();
            int position = 0;
            for (JsonNode vote : round.path("votes")) {
                votes.add(new VoteRow(position++, vote.get("participantId").asText(), vote.path("name").asText(""),
                        vote.get("value").asText(), joined(vote.path("flags"))));
            }
            // A repeated delivery of the same reveal carries the same round: the first is enough.
            rounds.putIfAbsent(entry.roomId() + "/" + number, new RoundRow(entry.roomId(), number,
                    text(round.get("itemId")), round.path("stats").toString(),
                    round.path("stats").path("consensus").asBoolean(false), at, entry.version(), votes));
        }

        List<Statement> statements() {
            List<Statement> out = new ArrayList<>();
            // Every entry has its room's update: the batch's rooms are those keys.
            out.add(lockRooms(roomUpdates.keySet()));
            out.addAll(roomsCreated);
            if (!items.isEmpty()) {
                out.add(upsertItems(items.values()));
            }
            out.addAll(removals);
            out.addAll(orders);
            if (!estimates.isEmpty()) {
                out.add(insertEstimates(estimates));
            }
            if (!rounds.isEmpty()) {
                out.add(insertRounds(rounds.values()));
            }
            if (!notes.isEmpty()) {
                out.add(insertNotes(notes));
            }
            for (int layer = 0;; layer++) {
                List<RoomRow> rows = new ArrayList<>();
                for (List<RoomRow> ofRoom : roomUpdates.values()) {
                    if (layer < ofRoom.size()) {
                        rows.add(ofRoom.get(layer));
                    }
                }
                if (rows.isEmpty()) {
                    if (!deletedRooms.isEmpty()) {
                        out.add(eraseRooms(deletedRooms));
                    }
                    return out;
                }
                out.add(updateRooms(rows));
            }
        }
    }

    private record ItemRow(String room, String item, int position, String title, String description,
            String acceptance, String reference, String estimate, String status, boolean ready, String missing,
            String openFlags, String resolvedFlags, String value, String dependencies, String parentId,
            String resolutionNotes, long version) {
    }

    private record EstimateRow(String room, String item, String value, long version, OffsetDateTime at) {
    }

    private record NoteRow(String room, String item, int number, Integer round, String author, String text,
            long version, OffsetDateTime at) {
    }

    private record RoundRow(String room, int number, String item, String stats, boolean consensus, OffsetDateTime at,
            long version, List<VoteRow> votes) {
    }

    private record VoteRow(int position, String participant, String name, String value, String flags) {
    }

    /**
     * What one entry changes in its room row; a null field changes nothing. Every assignment sees
     * the row as it was before the statement, so "is this entry newer than the row" is asked of the
     * old version.
     */
    private static final class RoomRow {
        final String room;
        final long version;
        final OffsetDateTime at;
        Integer position;
        Integer round;
        Boolean autoReveal;
        /** A settings entry: the checklist and velocity below are the room's now (null velocity: none). */
        Boolean settingsChanged;
        String readiness;
        Double velocity;
        Boolean preVoting;
        Integer opened;
        String openedItem;
        Integer revealed;

        RoomRow(String room, long version, OffsetDateTime at) {
            this.room = room;
            this.version = version;
            this.at = at;
        }
    }

    private static <T, V> V[] column(Collection<T> rows, Function<T, V> value, IntFunction<V[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    private static Statement upsertItems(Collection<ItemRow> rows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", column(rows, ItemRow::room, String[]::new));
        p.put("item", column(rows, ItemRow::item, String[]::new));
        p.put("position", column(rows, ItemRow::position, Integer[]::new));
        p.put("title", column(rows, ItemRow::title, String[]::new));
        p.put("description", column(rows, ItemRow::description, String[]::new));
        p.put("acceptance", column(rows, ItemRow::acceptance, String[]::new));
        p.put("reference", column(rows, ItemRow::reference, String[]::new));
        p.put("estimate", column(rows, ItemRow::estimate, String[]::new));
        p.put("status", column(rows, ItemRow::status, String[]::new));
        p.put("ready", column(rows, ItemRow::ready, Boolean[]::new));
        p.put("missing", column(rows, ItemRow::missing, String[]::new));
        p.put("openFlags", column(rows, ItemRow::openFlags, String[]::new));
        p.put("resolvedFlags", column(rows, ItemRow::resolvedFlags, String[]::new));
        p.put("value", column(rows, ItemRow::value, String[]::new));
        p.put("dependencies", column(rows, ItemRow::dependencies, String[]::new));
        p.put("parentId", column(rows, ItemRow::parentId, String[]::new));
        p.put("resolutionNotes", column(rows, ItemRow::resolutionNotes, String[]::new));
        p.put("version", column(rows, ItemRow::version, Long[]::new));
        // The position is the item's place when it is added; later only a new order moves it.
        return new Statement("insert into backlog_item (room_id, item_id, position, title, description, acceptance_criteria,"
                + " reference, estimate, status, ready, missing, open_flags, resolved_flags, value, dependencies,"
                + " parent_id, resolution_notes, removed, version)"
                + " select u.room, u.item, u.position, u.title, u.description, u.acceptance, u.reference, u.estimate,"
                + " u.status, u.ready, u.missing, u.open_flags, u.resolved_flags, u.value, u.dependencies,"
                + " u.parent_id, u.resolution_notes, false, u.version"
                + " from unnest(:room::text[], :item::text[], :position::int[], :title::text[], :description::text[],"
                + " :acceptance::text[], :reference::text[], :estimate::text[], :status::text[], :ready::boolean[],"
                + " :missing::text[], :openFlags::text[], :resolvedFlags::text[], :value::text[],"
                + " :dependencies::text[], :parentId::text[], :resolutionNotes::text[], :version::bigint[])"
                + " as u (room, item, position, title, description, acceptance, reference, estimate, status, ready,"
                + " missing, open_flags, resolved_flags, value, dependencies, parent_id, resolution_notes, version)"
                + OF_ROOMS_RECORDED
                + " on conflict (room_id, item_id) do update set"
                + " title = excluded.title, description = excluded.description,"
                + " acceptance_criteria = excluded.acceptance_criteria, reference = excluded.reference,"
                + " estimate = excluded.estimate, status = excluded.status, ready = excluded.ready,"
                + " missing = excluded.missing, open_flags = excluded.open_flags,"
                + " resolved_flags = excluded.resolved_flags, value = excluded.value,"
                + " dependencies = excluded.dependencies, parent_id = excluded.parent_id,"
                + " resolution_notes = excluded.resolution_notes, version = excluded.version"
                + " where backlog_item.version < excluded.version", p);
    }

    /**
     * Rows are written only for rooms the record holds: an entry queued before its room was deleted
     * (or pruned) and written after it changes nothing, instead of failing on the missing room.
     */
    private static final String OF_ROOMS_RECORDED = " where exists (select 1 from room where room.id = u.room)";

    private static Statement eraseRooms(Collection<String> roomIds) {
        return new Statement("delete from room where id = any(:rooms)",
                Map.of("rooms", roomIds.toArray(String[]::new)));
    }

    /**
     * Every item's place from the event's {@code order}, unless the room's order is already from a
     * later entry (a late or repeated delivery).
     */
    private static Statement reorder(PublishedEvent entry, JsonNode order) {
        List<String> ids = new ArrayList<>();
        order.forEach(id -> ids.add(id.asText()));
        return new Statement("with placed as (update room set order_version = :version where id = :room"
                + " and order_version < :version returning id)"
                + " update backlog_item set position = o.place - 1"
                + " from unnest(:items::text[]) with ordinality as o (item, place), placed"
                + " where backlog_item.room_id = placed.id and backlog_item.item_id = o.item",
                Map.of("version", entry.version(), "room", entry.roomId(), "items", ids.toArray(String[]::new)));
    }

    private static Statement removeItem(PublishedEvent entry, String itemId) {
        return new Statement("update backlog_item set removed = true, version = :version"
                + " where room_id = :room and item_id = :item and version < :version",
                Map.of("version", entry.version(), "room", entry.roomId(), "item", itemId));
    }

    private static Statement insertEstimates(List<EstimateRow> rows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", column(rows, EstimateRow::room, String[]::new));
        p.put("item", column(rows, EstimateRow::item, String[]::new));
        p.put("value", column(rows, EstimateRow::value, String[]::new));
        p.put("version", column(rows, EstimateRow::version, Long[]::new));
        p.put("at", column(rows, EstimateRow::at, OffsetDateTime[]::new));
        return new Statement("insert into settled_estimate (room_id, item_id, value, version, settled_at)"
                + " select * from unnest(:room::text[], :item::text[], :value::text[], :version::bigint[],"
                + " :at::timestamptz[]) as u (room, item, value, version, at)" + OF_ROOMS_RECORDED
                + " on conflict (room_id, version) do nothing", p);
    }

    /** Notes are only added, each once: a repeated delivery inserts nothing. */
    private static Statement insertNotes(List<NoteRow> rows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", column(rows, NoteRow::room, String[]::new));
        p.put("item", column(rows, NoteRow::item, String[]::new));
        p.put("number", column(rows, NoteRow::number, Integer[]::new));
        p.put("round", column(rows, NoteRow::round, Integer[]::new));
        p.put("author", column(rows, NoteRow::author, String[]::new));
        p.put("text", column(rows, NoteRow::text, String[]::new));
        p.put("version", column(rows, NoteRow::version, Long[]::new));
        p.put("at", column(rows, NoteRow::at, OffsetDateTime[]::new));
        return new Statement("insert into item_note (room_id, item_id, number, round_number, author, text, version,"
                + " written_at) select * from unnest(:room::text[], :item::text[], :number::int[], :round::int[],"
                + " :author::text[], :text::text[], :version::bigint[], :at::timestamptz[])"
                + " as u (room, item, number, round, author, text, version, at)" + OF_ROOMS_RECORDED
                + " on conflict (room_id, item_id, number) do nothing", p);
    }

    /**
     * The only place votes are written: after their reveal, never before. The rounds and their votes
     * go in one statement; a round already there (a repeated delivery) inserts no votes.
     */
    private static Statement insertRounds(Collection<RoundRow> rows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", column(rows, RoundRow::room, String[]::new));
        p.put("number", column(rows, RoundRow::number, Integer[]::new));
        p.put("item", column(rows, RoundRow::item, String[]::new));
        p.put("stats", column(rows, RoundRow::stats, String[]::new));
        p.put("consensus", column(rows, RoundRow::consensus, Boolean[]::new));
        p.put("at", column(rows, RoundRow::at, OffsetDateTime[]::new));
        p.put("version", column(rows, RoundRow::version, Long[]::new));
        List<RoundRow> ofVotes = new ArrayList<>();
        List<VoteRow> votes = new ArrayList<>();
        for (RoundRow round : rows) {
            for (VoteRow vote : round.votes()) {
                ofVotes.add(round);
                votes.add(vote);
            }
        }
        p.put("voteRoom", column(ofVotes, RoundRow::room, String[]::new));
        p.put("voteNumber", column(ofVotes, RoundRow::number, Integer[]::new));
        p.put("votePosition", column(votes, VoteRow::position, Integer[]::new));
        p.put("participant", column(votes, VoteRow::participant, String[]::new));
        p.put("name", column(votes, VoteRow::name, String[]::new));
        p.put("value", column(votes, VoteRow::value, String[]::new));
        p.put("flags", column(votes, VoteRow::flags, String[]::new));
        return new Statement("with r as (insert into estimation_round (room_id, number, item_id, stats, consensus,"
                + " revealed_at, version) select * from unnest(:room::text[], :number::int[], :item::text[],"
                + " :stats::text[], :consensus::boolean[], :at::timestamptz[], :version::bigint[])"
                + " as u (room, number, item, stats, consensus, at, version)" + OF_ROOMS_RECORDED
                + " on conflict (room_id, number) do nothing returning id, room_id, number)"
                + " insert into revealed_vote (round_id, room_id, position, participant_id, name, value, flags)"
                + " select r.id, r.room_id, v.position, v.participant, v.name, v.value, v.flags"
                + " from r join unnest(:voteRoom::text[], :voteNumber::int[], :votePosition::int[],"
                + " :participant::text[], :name::text[], :value::text[], :flags::text[])"
                + " as v (room, number, position, participant, name, value, flags)"
                + " on v.room = r.room_id and v.number = r.number"
                + " on conflict (round_id, participant_id) do nothing", p);
    }

    /** Rooms each named once: PostgreSQL applies one update per row and statement. */
    private static Statement updateRooms(List<RoomRow> rows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", column(rows, row -> row.room, String[]::new));
        p.put("version", column(rows, row -> row.version, Long[]::new));
        p.put("at", column(rows, row -> row.at, OffsetDateTime[]::new));
        p.put("position", column(rows, row -> row.position, Integer[]::new));
        p.put("round", column(rows, row -> row.round, Integer[]::new));
        p.put("autoReveal", column(rows, row -> row.autoReveal, Boolean[]::new));
        p.put("opened", column(rows, row -> row.opened, Integer[]::new));
        p.put("openedItem", column(rows, row -> row.openedItem, String[]::new));
        p.put("revealed", column(rows, row -> row.revealed, Integer[]::new));
        p.put("settings", column(rows, row -> row.settingsChanged, Boolean[]::new));
        p.put("readiness", column(rows, row -> row.readiness, String[]::new));
        p.put("velocity", column(rows, row -> row.velocity, Double[]::new));
        p.put("preVoting", column(rows, row -> row.preVoting, Boolean[]::new));
        // greatest() ignores nulls; a started round is taken only from an entry newer than the row,
        // a reveal closes the open round it reaches whatever the order.
        String newer = "room.version < u.version";
        return new Statement("update room set version = greatest(room.version, u.version), updated_at = u.at,"
                + " last_item_number = greatest(room.last_item_number, u.position),"
                + " last_round_number = greatest(room.last_round_number, u.round),"
                + " auto_reveal = case when u.auto_reveal is not null and " + newer
                + " then u.auto_reveal else room.auto_reveal end,"
                + " open_round_number = case when u.opened is not null and " + newer + " then u.opened"
                + " when room.open_round_number <= u.revealed then null else room.open_round_number end,"
                + " open_round_item_id = case when u.opened is not null and " + newer + " then u.opened_item"
                + " when room.open_round_number <= u.revealed then null else room.open_round_item_id end,"
                + " readiness = case when u.settings and " + newer + " then u.readiness else room.readiness end,"
                + " velocity = case when u.settings and " + newer + " then u.velocity else room.velocity end,"
                + " pre_voting = case when u.settings and " + newer + " then u.pre_voting else room.pre_voting end"
                + " from unnest(:room::text[], :version::bigint[], :at::timestamptz[], :position::int[],"
                + " :round::int[], :autoReveal::boolean[], :opened::int[], :openedItem::text[], :revealed::int[],"
                + " :settings::boolean[], :readiness::text[], :velocity::float8[], :preVoting::boolean[])"
                + " as u (id, version, at, position, round, auto_reveal, opened, opened_item, revealed, settings,"
                + " readiness, velocity, pre_voting)"
                + " where room.id = u.id", p);
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

    /**
     * The flags resolved since the item's latest round: as the event says, or, for an entry
     * written before events carried them, the latest round's flags that are no longer open.
     */
    private static List<String> resolvedFlags(JsonNode item) {
        if (item.has("resolvedFlags")) {
            List<String> resolved = new ArrayList<>();
            item.get("resolvedFlags").forEach(flag -> resolved.add(flag.asText()));
            return resolved;
        }
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

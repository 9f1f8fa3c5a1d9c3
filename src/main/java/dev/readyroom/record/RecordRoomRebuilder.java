package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.config.ReadyRoomConfig;
import dev.readyroom.domain.BacklogItem;
import dev.readyroom.domain.Deck;
import dev.readyroom.domain.Flag;
import dev.readyroom.domain.Note;
import dev.readyroom.domain.RevealStats;
import dev.readyroom.domain.RevealedVote;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Round;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.LiveStoreUnavailableException;
import dev.readyroom.live.RoomRebuilder;
import dev.readyroom.record.RoomHistory.RoundHistory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rebuilds the live state of a room the live store lost (a standalone restart, Redis lost it)
 * from the record's rows: backlog, estimates, revealed rounds and notes; nobody in it, no open round
 * and no pre-votes (hidden votes are never recorded).
 */
@ApplicationScoped
public class RecordRoomRebuilder implements RoomRebuilder {
    private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final RoomHistoryRepository history;
    private final ObjectMapper mapper;
    private final ReadyRoomConfig config;
    private final SafeContext safeContext;
    private final Pool pool;

    public RecordRoomRebuilder(RoomHistoryRepository history, ObjectMapper mapper, ReadyRoomConfig config,
            SafeContext safeContext, Pool pool) {
        this.pool = pool;
        this.safeContext = safeContext;
        this.history = history;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public Uni<RoomState> restore(String roomId) {
        if (roomId == null || !ROOM_ID.matcher(roomId).matches()) {
            return Uni.createFrom().nullItem();
        }
        return safeContext.run(() -> history.find(roomId))
                .flatMap(found -> found == null ? Uni.createFrom().nullItem()
                        : closeOpenRound(found.room()).replaceWith(() -> state(found)))
                .onFailure().transform(e -> new LiveStoreUnavailableException("The record is not reachable", e));
    }

    /**
     * The rebuilt room has no open round (its hidden votes were never recorded): the record says so
     * too, so its export shows the round's item as pending or estimated, not as voting. The room's
     * version is left as it is, so every later entry still applies.
     */
    private Uni<Void> closeOpenRound(RecordedRoom room) {
        if (room.openRoundNumber == null) {
            return Uni.createFrom().voidItem();
        }
        return safeContext.run(() -> pool.withTransaction(connection -> connection
                .preparedQuery("update room set open_round_number = null, open_round_item_id = null where id = $1")
                .execute(Tuple.of(room.id))
                .flatMap(ignored -> connection.preparedQuery("update backlog_item set status = case when estimate"
                        + " is null then 'pending' else 'estimated' end where room_id = $1 and status = 'voting'")
                        .execute(Tuple.of(room.id)))
                .replaceWithVoid()));
    }

    /** The room as the record holds it: nobody in it, no open round. */
    public RoomState stateOf(RoomHistory found) {
        return state(found);
    }

    RoomState state(RoomHistory found) {
        RecordedRoom room = found.room();
        List<String> cards = read(room.deckCards, new TypeReference<List<String>>() {
        });
        List<BacklogItem> items = found.items().stream().map(item -> new BacklogItem(item.itemId, item.title,
                item.description, item.acceptanceCriteria, item.reference, item.value, item.dependencies,
                item.parentId, "split".equals(item.status), item.estimate,
                found.roundsOf(item.itemId).stream().map(this::round).toList(), flags(item.openFlags),
                resolutions(item), List.of(), found.notesOf(item.itemId).stream()
                        .map(n -> new Note(n.number, n.roundNumber, n.author, n.text)).toList())).toList();
        List<Round> quick = found.quickRounds().stream().map(this::round).toList();
        if (quick.size() > RoomState.MAX_QUICK_ROUNDS_KEPT) {
            quick = quick.subList(quick.size() - RoomState.MAX_QUICK_ROUNDS_KEPT, quick.size());
        }
        return RoomState.restored(room.id, room.name, new Deck(room.deckId, room.deckName, cards),
                new Settings(room.autoReveal, room.readiness == null ? null
                        : read(room.readiness, new TypeReference<Settings.Checklist>() {
                        }), room.velocity, room.preVoting),
                room.facilitatorKeyHash, items, quick, room.lastRoundNumber,
                room.lastItemNumber, config.limits().maxParticipants(), room.version, notice(room, items));
    }

    /** The latest resolution of each unknown with its note; a record written before notes has none. */
    private List<BacklogItem.Resolution> resolutions(RecordedItem item) {
        if (item.resolutionNotes == null || item.resolutionNotes.equals("[]")) {
            return flags(item.resolvedFlags).stream().map(flag -> new BacklogItem.Resolution(flag, null)).toList();
        }
        List<Map<String, String>> notes = read(item.resolutionNotes, new TypeReference<List<Map<String, String>>>() {
        });
        return notes.stream().map(note -> new BacklogItem.Resolution(Flag.fromWire(note.get("flag")).orElseThrow(),
                note.get("note"))).toList();
    }

    private static String notice(RecordedRoom room, List<BacklogItem> items) {
        String restored = "This room was restored from its record after the service lost its live state; "
                + "everyone joins again.";
        if (room.openRoundNumber == null) {
            return restored;
        }
        Optional<String> title = items.stream().filter(i -> i.id().equals(room.openRoundItemId))
                .map(BacklogItem::title).findFirst();
        return restored + " Round " + room.openRoundNumber + title.map(t -> " on \"" + t + "\"").orElse("")
                + " was not revealed: its hidden votes were lost, so vote again.";
    }

    private Round round(RoundHistory recorded) {
        List<RevealedVote> votes = recorded.votes().stream()
                .map(v -> new RevealedVote(v.participantId, v.name, v.value, flags(v.flags))).toList();
        RevealStats stats = read(recorded.round().stats, new TypeReference<RevealStats>() {
        });
        return new Round(recorded.round().number, recorded.round().itemId, Map.of(), votes, stats);
    }

    private static List<Flag> flags(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        return Arrays.stream(joined.split(",")).map(Flag::fromWire).flatMap(Optional::stream).toList();
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The record holds JSON it cannot read", e);
        }
    }
}

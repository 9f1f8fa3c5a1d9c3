package dev.readyroom.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readyroom.domain.Readiness;
import dev.readyroom.domain.RevealStats;
import dev.readyroom.domain.RevealStats.CardCount;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.RoomView;
import dev.readyroom.domain.RoomView.ItemView;
import dev.readyroom.domain.Runway;
import dev.readyroom.domain.Settings;
import dev.readyroom.record.RoomHistory.RoundHistory;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The refined backlog of a room as exported: the JSON format, and the source of CSV and Markdown. */
public record RoomExport(String id, String name, Deck deck, OffsetDateTime exportedAt, Summary summary,
        Settings.Checklist checklist, Double velocity, Runway runway, List<Item> items, List<RoundSummary> quickRounds) {

    public record Deck(String id, String name, List<String> cards) {
    }

    public record Summary(int items, int estimated, int ready, int rounds) {
    }

    /**
     * {@code ready}, {@code missing} and {@code checks}: the room's checklist as it is now, evaluated
     * on the item as the record holds it.
     */
    public record Item(int position, String id, String title, String description, String acceptanceCriteria,
            String reference, String value, String dependencies, String parentId, String estimate, String status,
            boolean ready, List<String> missing, List<Readiness.Check> checks, List<String> openFlags,
            List<String> resolvedFlags, List<RoomView.ResolutionView> resolutions, List<RoundSummary> rounds,
            List<Settled> estimates, List<NoteSummary> notes) {
    }

    /** A note written on the item: {@code round} is the item's round it belongs to, or null before any. */
    public record NoteSummary(int number, Integer round, String author, String text, OffsetDateTime writtenAt) {
    }

    public record RoundSummary(int number, OffsetDateTime revealedAt, List<VoteSummary> votes,
            List<CardCount> distribution, Double average, Double median, String min, String max, boolean consensus,
            Integer spread, Map<String, Integer> flags) {
    }

    public record VoteSummary(String name, String value, List<String> flags) {
    }

    public record Settled(String value, OffsetDateTime at) {
    }

    /** {@code state}: the room as the record holds it ({@link RecordRoomRebuilder#stateOf}). */
    public static RoomExport of(RoomHistory history, RoomState state, ObjectMapper mapper, OffsetDateTime now) {
        RecordedRoom room = history.room();
        Map<String, ItemView> views = new HashMap<>();
        state.items().forEach(item -> views.put(item.id(), ItemView.of(item, state, 0)));
        List<Item> items = new ArrayList<>();
        int position = 0;
        for (RecordedItem item : history.items()) {
            ItemView view = views.get(item.itemId);
            items.add(new Item(++position, item.itemId, item.title, item.description, item.acceptanceCriteria,
                    item.reference, view.value(), view.dependencies(), view.parentId(), item.estimate, item.status,
                    view.readiness().ready(), view.readiness().missing(), view.readiness().checks(),
                    view.openFlags(), view.resolvedFlags(), view.resolutions(),
                    history.roundsOf(item.itemId).stream().map(r -> round(r, mapper)).toList(),
                    history.estimatesOf(item.itemId).stream().map(e -> new Settled(e.value, e.settledAt)).toList(),
                    history.notesOf(item.itemId).stream()
                            .map(n -> new NoteSummary(n.number, n.roundNumber, n.author, n.text, n.writtenAt)).toList()));
        }
        List<RoundSummary> quick = history.quickRounds().stream().map(r -> round(r, mapper)).toList();
        Summary summary = new Summary(items.size(), (int) items.stream().filter(i -> i.estimate() != null).count(),
                (int) items.stream().filter(Item::ready).count(), history.rounds().size());
        return new RoomExport(room.id, room.name, new Deck(room.deckId, room.deckName, cards(room, mapper)), now,
                summary, state.settings().readiness(), state.settings().velocity(), Runway.of(state), items, quick);
    }

    private static RoundSummary round(RoundHistory recorded, ObjectMapper mapper) {
        RevealStats stats = read(mapper, recorded.round().stats, RevealStats.class);
        List<VoteSummary> votes = recorded.votes().stream()
                .map(v -> new VoteSummary(v.name, v.value, split(v.flags))).toList();
        return new RoundSummary(recorded.round().number, recorded.round().revealedAt, votes, stats.distribution(),
                stats.average(), stats.median(), stats.min(), stats.max(), stats.consensus(), stats.spread(),
                stats.flags() == null ? Map.of() : new LinkedHashMap<>(stats.flags()));
    }

    private static List<String> cards(RecordedRoom room, ObjectMapper mapper) {
        return Arrays.asList(read(mapper, room.deckCards, String[].class));
    }

    static List<String> split(String joined) {
        return joined == null || joined.isBlank() ? List.of() : List.of(joined.split(","));
    }

    private static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The record holds JSON it cannot read", e);
        }
    }
}

package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.domain.Decks;
import dev.readyroom.domain.EventType;
import dev.readyroom.domain.RoomState;
import dev.readyroom.domain.Settings;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.live.RoomService;
import dev.readyroom.live.Secrets;
import dev.readyroom.live.WireFormat;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The writer gathers a batch's rows into one multi-row statement per table: whatever the batches,
 * the record must end up exactly as if every entry had been written alone, in the same order. The
 * entries are those of a room played for real over its WebSocket, copied into fresh rooms.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordWriterTest {
    private static final RecordDatabase RECORD = RecordDatabase.test();

    private static final Instant START = Instant.parse("2026-11-30T09:00:00Z");

    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordWriter writer;

    @Inject
    WireFormat wire;

    @Inject
    RoomService rooms;


    /** What the played room sent its record, in order (room.created excluded: each copy has its own). */
    private List<PublishedEvent> played;

    @BeforeAll
    void playARoom() {
        TestRoom room = TestRoom.create(base, "Played");
        String epoch;
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            epoch = fran.welcome().getString("epoch");
            fran.command("item.add", "title", "Checkout", "acceptanceCriteria", "Pays by card");
            fran.command("item.add", "title", "Refunds", "description", "Partial too");
            fran.command("item.add", "title", "Dropped");
            team.playRound("i1", "3 risk", "8");
            team.revote("5", "5");
            team.estimate("i1", "5");
            fran.command("settings.update", "autoReveal", true);
            fran.command("item.select", "itemId", "i2");
            team.ana().vote("13", "scope");
            team.bo().vote("8");
            fran.command("item.update", "itemId", "i2", "title", "Refunds, partial and full");
            fran.command("item.remove", "itemId", "i3");
            fran.command("round.quick");
            team.ana().vote("2");
            team.bo().vote("3");
            fran.command("settings.update", "autoReveal", false);
        }
        played = rooms.store().eventsAfter(room.id(), epoch, 0).await().atMost(Duration.ofSeconds(5)).stream()
                .filter(event -> RecordOutbox.records(event.type())).toList();
    }

    @Test
    void theRoomPlayedGivesTheRecordSomethingOfEveryKind() {
        assertThat(played).extracting(PublishedEvent::type).contains(EventType.ITEM_ADDED, EventType.ITEM_UPDATED,
                EventType.ITEM_REMOVED, EventType.ITEM_ESTIMATED, EventType.ROUND_STARTED, EventType.ROUND_REVEALED,
                EventType.SETTINGS_CHANGED);
        String room = copy(played, List.of(played.size()));
        String record = record(room).toString();
        assertThat(record).contains("Refunds, partial and full", "scope", "removed=t");
        assertThat(RECORD.count("select count(*) from revealed_vote where room_id = ?", room)).isEqualTo(8);
    }

    @Test
    void oneBatchWritesWhatItsEntriesWriteOneByOne() {
        String alone = copy(played, ones(played.size()));
        String together = copy(played, List.of(played.size()));
        assertThat(record(together)).isEqualTo(record(alone));
    }

    /** Repeated and late deliveries, as a cluster's stream can bring them, cut into batches of any size. */
    @Test
    void batchesOfAnySizeWriteWhatTheirEntriesWriteOneByOneWhateverTheOrder() {
        Random random = new Random(20261130);
        for (int attempt = 0; attempt < 8; attempt++) {
            List<PublishedEvent> deliveries = new ArrayList<>(played);
            for (int repeat = 0; repeat < 6; repeat++) {
                PublishedEvent again = played.get(random.nextInt(played.size()));
                deliveries.add(random.nextInt(deliveries.size() + 1), again);
            }
            List<Integer> sizes = new ArrayList<>();
            for (int left = deliveries.size(); left > 0;) {
                int size = Math.min(left, 1 + random.nextInt(9));
                sizes.add(size);
                left -= size;
            }
            String alone = copy(deliveries, ones(deliveries.size()));
            String batched = copy(deliveries, sizes);
            assertThat(record(batched)).as("batches %s", sizes).isEqualTo(record(alone));
        }
    }

    private static List<Integer> ones(int count) {
        return new ArrayList<>(java.util.Collections.nCopies(count, 1));
    }

    /**
     * Writes the entries into a new room of their own, in batches of the given sizes, each entry
     * stamped with a time of its version so that copies compare equal. Returns the room's id.
     */
    private String copy(List<PublishedEvent> events, List<Integer> batchSizes) {
        String roomId = Secrets.roomId();
        RoomState created = RoomState.create(roomId, "Copy", Decks.FIBONACCI, new Settings(false), "key-hash", 50);
        write(List.of(new RecordSink.Entry(wire.roomCreated(created, "copy"), START)));
        int next = 0;
        for (int size : batchSizes) {
            List<RecordSink.Entry> batch = new ArrayList<>();
            for (PublishedEvent event : events.subList(next, next + size)) {
                batch.add(new RecordSink.Entry(new PublishedEvent(roomId, "copy", event.version(), event.type(),
                        event.json()), START.plusSeconds(event.version())));
            }
            write(batch);
            next += size;
        }
        return roomId;
    }

    private void write(List<RecordSink.Entry> batch) {
        writer.writeAll(batch).await().atMost(Duration.ofSeconds(10));
    }

    /** Every row the record holds of a room, without the room's id and the generated keys. */
    private static List<List<String>> record(String roomId) {
        List<List<String>> rows = new ArrayList<>();
        rows.addAll(RECORD.rows("select name, deck_id, deck_cards, auto_reveal, last_item_number,"
                + " last_round_number, open_round_number, open_round_item_id, version, created_at, updated_at"
                + " from room where id = ?", roomId));
        rows.addAll(RECORD.rows("select item_id, position, title, description, acceptance_criteria, reference,"
                + " estimate, status, ready, missing, open_flags, resolved_flags, 'removed=' || removed, version"
                + " from backlog_item where room_id = ? order by item_id", roomId));
        rows.addAll(RECORD.rows("select number, item_id, stats, consensus, revealed_at, version"
                + " from estimation_round where room_id = ? order by number", roomId));
        rows.addAll(RECORD.rows("select r.number, v.position, v.participant_id, v.name, v.value, v.flags"
                + " from revealed_vote v join estimation_round r on r.id = v.round_id where v.room_id = ?"
                + " order by r.number, v.position", roomId));
        rows.addAll(RECORD.rows("select item_id, value, version, settled_at from settled_estimate"
                + " where room_id = ? order by version", roomId));
        return rows;
    }
}

package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The record forgets a room 90 days after its last change, with all of it, and keeps the others. */
@QuarkusTest
class RecordRetentionTest {
    private static final RecordDatabase RECORD = RecordDatabase.test();

    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordRetention retention;

    @Test
    void aRoomUnchangedForLongerThanTheRetentionLeavesTheRecordWithEverythingOfIt() throws SQLException {
        String old = recordedRoomWithAnItem("Long ago");
        String recent = recordedRoomWithAnItem("Last week");
        lastChanged(old, 91);
        lastChanged(recent, 7);

        int deleted = retention.prune(Instant.now()).await().atMost(Duration.ofSeconds(10));

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(RECORD.count("select count(*) from room where id = ?", old)).isZero();
        assertThat(RECORD.count("select count(*) from backlog_item where room_id = ?", old)).isZero();
        assertThat(RECORD.count("select count(*) from room where id = ?", recent)).isEqualTo(1);
        assertThat(RECORD.count("select count(*) from backlog_item where room_id = ?", recent)).isEqualTo(1);
    }

    private static void lastChanged(String roomId, int daysAgo) throws SQLException {
        try (Connection connection = RECORD.connect()) {
            RecordDatabase.execute(connection, "update room set updated_at = now() - make_interval(days => ?)"
                    + " where id = ?", daysAgo, roomId);
        }
    }

    private String recordedRoomWithAnItem(String title) {
        try (TestRoom room = TestRoom.create(base, title)) {
            RoomClient facilitator = room.facilitator();
            facilitator.command("item.add", "title", title);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    RECORD.count("select count(*) from backlog_item where room_id = ?", room.id()) == 1);
            return room.id();
        }
    }
}

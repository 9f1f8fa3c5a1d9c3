package dev.readyroom.live.redis;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RedisServer;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cluster mode's outbox: a Redis Stream consumer group in front of the same writer. */
@QuarkusTest
@TestProfile(RedisOutboxTest.WithRedis.class)
class RedisOutboxTest {
    private static final RecordDatabase RECORD = RecordDatabase.test();


    public static class WithRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("readyroom.record.claim-idle", "1s", "readyroom.record.claim-interval", "500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisServer.Resource.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    /** Injected by {@link RedisServer.Resource}. */
    RedisServer redis;

    @Test
    void aPlayedRoundReachesTheRecordThroughTheStream() {
        assertThat(outbox).isInstanceOf(RedisStreamRecordOutbox.class);
        TestRoom room = TestRoom.create(base, "Streamed");
        try (RoomClient fran = room.facilitator(); RoomClient ana = room.voter("Ana")) {
            fran.command("item.add", "title", "Through Redis");
            fran.command("item.select", "itemId", "i1");
            ana.vote("8", "too-big");
            fran.command("reveal");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> RECORD.count(
                "select count(*) from revealed_vote where room_id = ?", room.id()) == 1);
        assertThat(RECORD.rows("select value, flags from revealed_vote where room_id = ?", room.id()))
                .containsExactly(List.of("8", "too-big"));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.backlog() == 0);
    }

    @Test
    void entriesADeadNodeReadButNeverAcknowledgedAreTakenOver() {
        String roomId = "deadnode" + System.nanoTime();
        String created = "{\"type\":\"room.created\",\"epoch\":\"e1\",\"version\":0,\"room\":{\"id\":\"" + roomId
                + "\",\"name\":\"Orphan\",\"deck\":{\"id\":\"tshirt\",\"name\":\"T-shirt sizes\",\"cards\":[\"S\",\"M\"]},"
                + "\"settings\":{\"autoReveal\":false},\"facilitatorKeyHash\":\"abc\"}}";
        // A second group member reads the entry and dies before acknowledging it.
        redis.cli("XGROUP", "CREATECONSUMER", RedisKeys.OUTBOX,
                RedisKeys.OUTBOX_GROUP, "dead-node");
        redis.cli("XADD", RedisKeys.OUTBOX, "*", "room", roomId, "epoch", "e1", "version",
                "0", "type", "room.created", "json", created);
        String claimedByDead = redis.cli("XREADGROUP", "GROUP", RedisKeys.OUTBOX_GROUP,
                "dead-node", "COUNT", "100", "STREAMS", RedisKeys.OUTBOX, ">");
        if (claimedByDead.contains(roomId)) {
            assertThat(redis.cli("XPENDING", RedisKeys.OUTBOX,
                    RedisKeys.OUTBOX_GROUP)).contains("dead-node");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> RECORD.count(
                "select count(*) from room where id = ?", roomId) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !redis.cli("XPENDING",
                RedisKeys.OUTBOX, RedisKeys.OUTBOX_GROUP, "-", "+", "10", "dead-node")
                .contains("-"));
    }
}

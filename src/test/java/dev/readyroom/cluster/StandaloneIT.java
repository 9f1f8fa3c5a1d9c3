package dev.readyroom.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.ServiceNode;
import dev.readyroom.testkit.TestRoom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without REDIS_URL the service runs alone, with no Redis at all, and rooms still work. */
class StandaloneIT {

    @Test
    void aNodeWithoutRedisServesARoundToTwoClients() throws Exception {
        try (ServiceNode node = ServiceNode.named("standalone").properties("-Dquarkus.redis.hosts=redis://127.0.0.1:1")
                .startReady()) {
            assertThat(node.get("/q/health/ready")).contains("standalone");
            try (TestRoom room = TestRoom.create(node.uri(), "Solo", "tshirt")) {
                RoomClient fran = room.facilitator();
                RoomClient ana = room.voter("Ana");
                assertThat(fran.command("round.quick").getString("type")).isEqualTo("ack");
                assertThat(ana.vote("M").getString("type")).isEqualTo("ack");
                long last = fran.command("reveal").getLong("version");
                await().atMost(Duration.ofSeconds(2)).until(() -> ana.lastVersion() == last);
                for (RoomClient client : List.of(fran, ana)) {
                    long from = client.welcome().getLong("version");
                    assertThat(client.events()).hasSize((int) (last - from));
                }
            }
        }
    }
}

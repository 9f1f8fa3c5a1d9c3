package dev.readyroom.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without REDIS_URL the service runs alone, with no Redis at all, and rooms still work. */
class StandaloneIT {

    @Test
    void aNodeWithoutRedisServesARoundToTwoClients() throws Exception {
        try (ServiceNode node = new ServiceNode("standalone", null, "-Dquarkus.redis.hosts=redis://127.0.0.1:1")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> node.readyStatus() == 200 || !node.alive());
            assertThat(node.get("/q/health/ready")).contains("standalone");
            JsonNode room = RoomClient.JSON.readTree(node.post("/api/rooms", "{\"name\":\"Solo\",\"deck\":\"tshirt\"}"));
            try (RoomClient fran = new RoomClient("fran", node, room.path("id").asText());
                    RoomClient ana = new RoomClient("ana", node, room.path("id").asText())) {
                fran.join("observer", room.path("facilitatorKey").asText());
                await().atMost(Duration.ofSeconds(5)).until(() -> fran.welcome() != null);
                ana.join("voter", null);
                await().atMost(Duration.ofSeconds(5)).until(() -> ana.welcome() != null);
                String quick = fran.command("round.quick");
                await().atMost(Duration.ofSeconds(5)).until(() -> fran.reply(quick) != null);
                String vote = ana.command("vote", "value", "M");
                await().atMost(Duration.ofSeconds(5)).until(() -> ana.reply(vote) != null);
                String reveal = fran.command("reveal");
                await().atMost(Duration.ofSeconds(5)).until(() -> fran.reply(reveal) != null);
                long last = fran.reply(reveal).path("version").asLong();
                await().atMost(Duration.ofSeconds(2)).until(() -> ana.lastVersion() == last);
                for (RoomClient client : List.of(fran, ana)) {
                    long from = client.welcome().path("version").asLong();
                    assertThat(client.events()).hasSize((int) (last - from));
                }
            }
        }
    }
}

package dev.readyroom.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.memory.InMemoryRoomStore;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RebuildTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    @Inject
    RoomStore store;

    @Test
    void aRoomTheLiveStoreLostComesBackFromTheRecordUnderANewEpoch() {
        Rooms room = Rooms.create("Rebuilt");
        String firstEpoch;
        try (RoomClient fran = room.facilitator(base); RoomClient ana = room.voter(base, "Ana");
                RoomClient bo = room.voter(base, "Bo")) {
            firstEpoch = fran.welcome.get("epoch").asText();
            fran.command("item.add", "title", "Login", "acceptanceCriteria", "Works with SSO");
            fran.command("item.select", "itemId", "i1");
            ana.vote("3");
            bo.vote("5", "dependency");
            fran.command("reveal");
            fran.command("item.estimate", "itemId", "i1", "value", "5");
            fran.command("item.add", "title", "Logout");
            fran.command("item.select", "itemId", "i2");
            ana.vote("8");
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }

        // The live state is gone, as after a restart in standalone mode.
        ((InMemoryRoomStore) ClientProxy.unwrap(store)).expireIdle(Duration.ofDays(-1));

        given().get("/api/rooms/" + room.id()).then().statusCode(200)
                .body("items", equalTo(2))
                .body("participants", equalTo(0))
                .body("notice", containsString("Round 2 on \"Logout\" was not revealed"));

        try (RoomClient fran = room.facilitator(base); RoomClient ana = room.voter(base, "Ana")) {
            JsonNode welcome = fran.welcome;
            assertThat(welcome.path("you").path("facilitator").asBoolean()).as("the same key still works").isTrue();
            assertThat(welcome.get("epoch").asText()).isNotEqualTo(firstEpoch);
            JsonNode state = welcome.get("state");
            assertThat(state.get("round").isNull()).isTrue();
            assertThat(state.get("notice").asText()).contains("hidden votes were lost");
            JsonNode login = state.get("items").get(0);
            assertThat(login.get("estimate").asText()).isEqualTo("5");
            assertThat(login.get("rounds").get(0).get("votes")).hasSize(2);
            assertThat(login.get("rounds").get(0).get("stats").get("median").asDouble()).isEqualTo(4.0);
            assertThat(login.get("openFlags").get(0).asText()).isEqualTo("dependency");

            fran.command("item.select", "itemId", "i2");
            ana.vote("8");
            JsonNode reveal = fran.command("reveal");
            assertThat(reveal.get("type").asText()).isEqualTo("ack");
            JsonNode revealed = fran.awaitMessage(m -> m.path("type").asText().equals("round.revealed"));
            assertThat(revealed.get("round").get("number").asInt()).as("round numbers go on").isEqualTo(3);
        }
    }

    @Test
    void aRoomUnknownToBothIsNotFound() {
        given().get("/api/rooms/AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404)
                .body("code", equalTo("room_not_found"));
    }
}

package dev.readyroom.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.memory.InMemoryRoomStore;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
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
        TestRoom room = TestRoom.create(base, "Rebuilt");
        String firstEpoch;
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            firstEpoch = fran.welcome().getString("epoch");
            fran.command("item.add", "title", "Login", "acceptanceCriteria", "Works with SSO");
            team.playRound("i1", "3", "5 dependency");
            team.estimate("i1", "5");
            fran.command("item.add", "title", "Logout");
            fran.command("item.select", "itemId", "i2");
            team.ana().vote("8");
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }

        // The live state is gone, as after a restart in standalone mode.
        ((InMemoryRoomStore) ClientProxy.unwrap(store)).expireIdle(Duration.ofDays(-1));

        given().get("/api/rooms/" + room.id()).then().statusCode(200)
                .body("items", equalTo(2))
                .body("participants", equalTo(0))
                .body("notice", containsString("Round 2 on \"Logout\" was not revealed"));
        // The record agrees: the lost round's item is pending again, not voting.
        given().header("X-Facilitator-Key", room.facilitatorKey()).get("/api/rooms/" + room.id() + "/export?format=json")
                .then().statusCode(200)
                .body("items[1].id", equalTo("i2")).body("items[1].status", equalTo("pending"))
                .body("items[0].status", equalTo("estimated"));

        try (RoomClient fran = room.facilitator(); RoomClient ana = room.voter("Ana")) {
            JsonObject welcome = fran.welcome();
            assertThat(welcome.getJsonObject("you").getBoolean("facilitator")).as("the same key still works").isTrue();
            assertThat(welcome.getString("epoch")).isNotEqualTo(firstEpoch);
            JsonObject state = welcome.getJsonObject("state");
            assertThat(state.containsKey("round")).isTrue();
            assertThat(state.getValue("round")).isNull();
            assertThat(state.getString("notice")).contains("hidden votes were lost");
            JsonObject login = state.getJsonArray("items").getJsonObject(0);
            assertThat(login.getString("estimate")).isEqualTo("5");
            assertThat(login.getJsonArray("rounds").getJsonObject(0).getJsonArray("votes")).hasSize(2);
            assertThat(login.getJsonArray("rounds").getJsonObject(0).getJsonObject("stats").getDouble("median"))
                    .isEqualTo(4.0);
            assertThat(login.getJsonArray("openFlags").getString(0)).isEqualTo("dependency");

            fran.command("item.select", "itemId", "i2");
            ana.vote("8");
            JsonObject reveal = fran.command("reveal");
            assertThat(reveal.getString("type")).isEqualTo("ack");
            JsonObject revealed = fran.awaitMessage(m -> "round.revealed".equals(m.getString("type")));
            assertThat(revealed.getJsonObject("round").getInteger("number")).as("round numbers go on").isEqualTo(3);
        }
    }

    @Test
    void aRoomUnknownToBothIsNotFound() {
        given().get("/api/rooms/AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404)
                .body("code", equalTo("room_not_found"));
    }
}

package dev.readyroom.record;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.hamcrest.Matchers.equalTo;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The facilitator deletes a room for good: everyone in it is told and disconnected, nothing live or
 * recorded is left of it, and nothing brings it back.
 */
@QuarkusTest
class RoomDeletionTest {
    private static final RecordDatabase RECORD = RecordDatabase.test();
    private static final String[] TABLES = {"backlog_item", "estimation_round", "revealed_vote", "settled_estimate"};

    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    @Test
    void theFacilitatorDeletesTheRoomOverTheSocketAndEveryoneInItIsClosed() {
        TestRoom room = TestRoom.create(base, "To be deleted");
        try (Team team = recordedRoom(room)) {
            JsonObject reply = team.facilitator().command("room.delete");

            assertThat(reply.getString("type")).isEqualTo("ack");
            for (RoomClient member : new RoomClient[] {team.facilitator(), team.ana(), team.bo()}) {
                member.awaitEvent("room.deleted");
                await().atMost(RoomClient.TIMEOUT).until(() -> Integer.valueOf(4404).equals(member.closeCode()));
            }
        }
        assertGone(room);
    }

    @Test
    void onlyTheFacilitatorMayDeleteTheRoom() {
        TestRoom room = TestRoom.create(base, "Kept");
        try (Team team = room.team("Ana", "Bø")) {
            JsonObject reply = team.ana().command("room.delete");

            assertThat(reply.getString("code")).isEqualTo("not_facilitator");
            assertThat(team.ana().isClosed()).isFalse();
        }
        given().get("/api/rooms/" + room.id()).then().statusCode(200);
    }

    @Test
    void deleteOverRestNeedsTheFacilitatorKey() {
        TestRoom room = TestRoom.create(base, "Deleted over REST");
        try (Team team = recordedRoom(room)) {
            String path = "/api/rooms/" + room.id();
            given().delete(path).then().statusCode(401).body("code", equalTo("missing_key"));
            given().header("X-Facilitator-Key", "not-the-key").delete(path).then().statusCode(403)
                    .body("code", equalTo("invalid_key"));
            given().get(path).then().statusCode(200);

            given().header("X-Facilitator-Key", room.facilitatorKey()).delete(path).then().statusCode(204);

            team.ana().awaitEvent("room.deleted");
            await().atMost(RoomClient.TIMEOUT).until(() -> Integer.valueOf(4404).equals(team.ana().closeCode()));
            given().header("X-Facilitator-Key", room.facilitatorKey()).delete(path).then().statusCode(404);
        }
        assertGone(room);
    }

    /** A room with a backlog, a settled estimate and revealed rounds, all of it in the record. */
    private Team recordedRoom(TestRoom room) {
        Team team = room.team("Ana", "Bø");
        team.facilitator().command("item.add", "title", "Secret roadmap item");
        team.playRound("i1", "3", "5");
        team.estimate("i1", "5");
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        assertThat(RECORD.count("select count(*) from room where id = ?", room.id())).isEqualTo(1);
        for (String table : TABLES) {
            assertThat(RECORD.count("select count(*) from " + table + " where room_id = ?", room.id())).as(table)
                    .isPositive();
        }
        return team;
    }

    private void assertGone(TestRoom room) {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        assertThat(RECORD.count("select count(*) from room where id = ?", room.id())).isZero();
        for (String table : TABLES) {
            assertThat(RECORD.count("select count(*) from " + table + " where room_id = ?", room.id()))
                    .as(table).isZero();
        }
        given().get("/api/rooms/" + room.id()).then().statusCode(404);
        given().header("X-Facilitator-Key", room.facilitatorKey()).get("/api/rooms/" + room.id() + "/export?format=json")
                .then().statusCode(404);
        assertThat(RoomClient.upgradeStatus(base, room.id())).as("a socket to the room").isEqualTo(404);
    }
}

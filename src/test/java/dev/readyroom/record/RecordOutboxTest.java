package dev.readyroom.record;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.readyroom.domain.EventType;
import dev.readyroom.live.PublishedEvent;
import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RecordSink;
import dev.readyroom.testkit.RecordDatabase;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RecordOutboxTest {
    private static final RecordDatabase RECORD = RecordDatabase.test();

    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordWriter writer;

    @Inject
    RecordOutbox outbox;


    @Test
    void migrationsCreateTheRecordSchema() {
        assertThat(RECORD.rows("select version, success from flyway_schema_history where version = '1'"))
                .containsExactly(List.of("1", "t"));
        assertThat(RECORD.count("select count(*) from information_schema.tables where table_schema = 'public'"
                + " and table_name in ('room', 'backlog_item', 'estimation_round', 'revealed_vote',"
                + " 'settled_estimate')")).isEqualTo(5);
    }

    @Test
    void aPlayedRoundReachesTheRecordAndHiddenVotesWaitForTheReveal() {
        TestRoom room = TestRoom.create(base, "Outbox");
        try (RoomClient fran = room.facilitator(); RoomClient ana = room.voter("Ana");
                RoomClient bo = room.voter("Bo")) {
            fran.command("item.add", "title", "Export to CSV", "acceptanceCriteria", "Opens in a spreadsheet");
            fran.command("item.select", "itemId", "i1");
            ana.vote("3");
            bo.vote("13", "scope", "risk");
            awaitDrained();
            assertThat(RECORD.count("select count(*) from revealed_vote where room_id = ?", room.id()))
                    .as("hidden votes are never written before the reveal").isZero();
            assertThat(RECORD.rows("select open_round_number from room where id = ?", room.id()))
                    .containsExactly(List.of("1"));

            fran.command("reveal");
            fran.command("item.estimate", "itemId", "i1", "value", "8");
            awaitDrained();
        }
        assertThat(RECORD.rows("select name, value, flags from revealed_vote where room_id = ? order by position",
                room.id())).containsExactly(List.of("Ana", "3", ""), List.of("Bo", "13", "scope,risk"));
        assertThat(RECORD.rows("select title, estimate, status, ready, missing, open_flags from backlog_item"
                + " where room_id = ?", room.id()))
                .containsExactly(List.of("Export to CSV", "8", "estimated", "f", "value,flag:scope,flag:risk",
                        "scope,risk"));
        assertThat(RECORD.rows("select item_id, value from settled_estimate where room_id = ?", room.id()))
                .containsExactly(List.of("i1", "8"));
        assertThat(RECORD.rows("select open_round_number, facilitator_key_hash is not null from room"
                + " where id = ?", room.id())).containsExactly(Arrays.asList(null, "t"));
    }

    @Test
    void aRetriedDeliveryChangesNothing() {
        TestRoom room = TestRoom.create(base, "Retries");
        PublishedEvent renamed;
        PublishedEvent revealed;
        try (RoomClient fran = room.facilitator(); RoomClient ana = room.voter("Ana")) {
            fran.command("item.add", "title", "Old title");
            fran.command("item.select", "itemId", "i1");
            ana.vote("5", "dependency");
            revealed = capture(fran, "round.revealed", () -> fran.command("reveal"));
            renamed = capture(fran, "item.updated", () -> fran.command("item.update", "itemId", "i1", "title",
                    "New title"));
            awaitDrained();
        }
        List<List<String>> before = snapshot(room.id());

        // The same entries again, and out of order: an older item state must not overwrite a newer one.
        write(revealed);
        write(renamed);
        write(revealed);

        assertThat(snapshot(room.id())).isEqualTo(before);
        assertThat(RECORD.rows("select title from backlog_item where room_id = ?", room.id()))
                .containsExactly(List.of("New title"));
    }

    @Test
    void anOutageDelaysTheRecordButNeverVoting() {
        TestRoom room = TestRoom.create(base, "Outage");
        int items = 1;
        try (RoomClient fran = room.facilitator(); RoomClient ana = room.voter("Ana")) {
            fran.command("item.add", "title", "Before the outage");
            awaitDrained();

            RECORD.cutOff();
            try {
                // Voting goes on for the whole outage (-Drecord.test.outage=30s for the 30 s).
                long end = System.nanoTime() + Duration.parse("PT" + System.getProperty("record.test.outage", "3s"))
                        .toNanos();
                do {
                    items++;
                    assertThat(fran.command("item.add", "title", "During the outage " + items).getString("type"))
                            .isEqualTo("ack");
                    fran.command("item.select", "itemId", "i" + items);
                    assertThat(ana.vote("5", "risk").getString("type")).isEqualTo("ack");
                    fran.command("reveal");
                } while (System.nanoTime() < end);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'record' }.data.record", equalTo("degraded"))
                        .body("checks.find { it.name == 'record' }.data.backlog", greaterThan(0)));
            } finally {
                RECORD.restore();
            }
            awaitDrained();
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'record' }.data.record", equalTo("ok"));
        assertThat(RECORD.count("select count(*) from backlog_item where room_id = ?", room.id()))
                .isEqualTo(items);
        assertThat(RECORD.count("select count(*) from estimation_round where room_id = ?", room.id()))
                .isEqualTo(items - 1);
        assertThat(RECORD.count("select count(*) from revealed_vote where room_id = ?", room.id()))
                .isEqualTo(items - 1);
    }

    @Test
    void aBatchLocksItsRoomBeforeItsItemsSoTwoNodesWritingOneRoomTakeTurns() throws Exception {
        TestRoom room = TestRoom.create(base, "Turns");
        PublishedEvent renamed;
        try (RoomClient fran = room.facilitator()) {
            fran.command("item.add", "title", "Old title");
            renamed = capture(fran, "item.updated", () -> fran.command("item.update", "itemId", "i1", "title",
                    "New title"));
            awaitDrained();
        }
        try (Connection otherNode = RECORD.connect()) {
            otherNode.setAutoCommit(false);
            RecordDatabase.execute(otherNode, "select id from room where id = ? for update", room.id());

            CompletableFuture<Void> written = writer.writeAll(List.of(new RecordSink.Entry(renamed, Instant.now())))
                    .subscribeAsCompletionStage();
            // Sent and waiting: had the batch upserted the item first, it would hold the item's row now.
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
                    RECORD.count("select count(*) from pg_locks where not granted and locktype = 'transactionid'")
                            > 0);
            try (Connection third = RECORD.connect()) {
                third.setAutoCommit(false);
                RecordDatabase.execute(third, "select item_id from backlog_item where room_id = ? and item_id = 'i1'"
                        + " for update nowait", room.id());
                third.rollback();
            }
            assertThat(written).isNotDone();

            otherNode.commit();
            written.get(5, TimeUnit.SECONDS);
        }
        assertThat(RECORD.rows("select title from backlog_item where room_id = ?", room.id()))
                .containsExactly(List.of("New title"));
    }

    private void awaitDrained() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
    }

    private void write(PublishedEvent event) {
        writer.writeAll(List.of(new RecordSink.Entry(event, Instant.now()))).await().atMost(Duration.ofSeconds(5));
    }

    private static PublishedEvent capture(RoomClient client, String type, Runnable command) {
        command.run();
        JsonObject event = client.awaitMessage(m -> type.equals(m.getString("type")));
        return new PublishedEvent(client.welcome().getJsonObject("state").getString("id"), event.getString("epoch"),
                event.getLong("version"), EventType.ofWireName(type), event.encode());
    }

    private static List<List<String>> snapshot(String roomId) {
        return RECORD.rows("select 'item', item_id, title, version::text from backlog_item where room_id = ?"
                + " union all select 'round', number::text, item_id, version::text from estimation_round"
                + " where room_id = ? union all select 'vote', participant_id, value, flags from revealed_vote"
                + " where room_id = ? order by 1, 2", roomId, roomId, roomId);
    }
}

package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.live.RecordOutbox;
import dev.readyroom.live.RoomStore;
import dev.readyroom.live.memory.InMemoryRoomStore;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.Team;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refinement commands over the real socket, each with its errors, and the record keeping every
 * new field: a room rebuilt from it has the same backlog, order, checklist and velocity.
 */
@QuarkusTest
class RefinementTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    RecordOutbox outbox;

    @Inject
    RoomStore store;

    @Test
    void settingsChangeOnlyWhatIsSentAndRefuseBadValues() {
        TestRoom room = TestRoom.create(base, "Settings");
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            assertThat(code(fran.command("settings.update", "readiness", new JsonObject().put("maxEstimate", "7"))))
                    .isEqualTo("invalid_value");
            assertThat(code(fran.command("settings.update", "readiness", new JsonObject().put("maxEstimate", "?"))))
                    .isEqualTo("invalid_value");
            assertThat(code(fran.command("settings.update", "velocity", "fast"))).isEqualTo("malformed");
            assertThat(code(fran.command("settings.update", "velocity", -3))).isEqualTo("invalid_value");
            assertThat(code(fran.command("settings.update"))).isEqualTo("invalid_value");
            assertThat(code(team.ana().command("settings.update", "velocity", 20))).isEqualTo("not_facilitator");
            fran.command("settings.update", "autoReveal", true);

            JsonObject ack = fran.command("settings.update", "velocity", 20,
                    "readiness", new JsonObject().put("value", false).put("maxEstimate", "13"));

            JsonObject changed = team.ana().awaitEvent("settings.changed", ack.getLong("version"));
            JsonObject settings = changed.getJsonObject("settings");
            assertThat(settings.getBoolean("autoReveal")).as("left as it was").isTrue();
            assertThat(settings.getDouble("velocity")).isEqualTo(20.0);
            assertThat(settings.getJsonObject("readiness")).isEqualTo(new JsonObject().put("definition", true)
                    .put("value", false).put("size", true).put("risks", true).put("maxEstimate", "13"));
            assertThat(changed.getJsonObject("runway").getJsonObject("targets").getInteger("readyItems")).isEqualTo(5);
            assertThat(changed.getJsonObject("itemReadiness")).as("no items yet").isEmpty();
        }
    }

    @Test
    void splitMoveAndResolveRefuseWhatDoesNotFit() {
        TestRoom room = TestRoom.create(base, "Errors");
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            fran.command("item.add", "title", "Checkout");
            fran.command("item.add", "title", "Search");
            JsonArray one = new JsonArray().add(new JsonObject().put("title", "Only part"));
            JsonArray eleven = new JsonArray();
            for (int i = 0; i < 11; i++) {
                eleven.add(new JsonObject().put("title", "Part " + i));
            }
            assertThat(code(fran.command("item.split", "itemId", "i1", "children", one))).isEqualTo("invalid_value");
            assertThat(code(fran.command("item.split", "itemId", "i1", "children", eleven)))
                    .isEqualTo("invalid_value");
            assertThat(code(fran.command("item.split", "itemId", "i1"))).isEqualTo("missing_field");
            assertThat(code(fran.command("item.split", "itemId", "i9", "children", twoParts())))
                    .isEqualTo("unknown_item");
            assertThat(code(team.ana().command("item.split", "itemId", "i1", "children", twoParts())))
                    .isEqualTo("not_facilitator");
            assertThat(code(fran.command("item.move", "itemId", "i9", "toIndex", 0))).isEqualTo("unknown_item");
            assertThat(code(fran.command("item.move", "itemId", "i1", "toIndex", 2))).isEqualTo("invalid_value");
            assertThat(code(fran.command("item.move", "itemId", "i1", "toIndex", "first"))).isEqualTo("malformed");
            assertThat(code(fran.command("item.flag.resolve", "itemId", "i1", "flag", "risk")))
                    .isEqualTo("invalid_value");
            String tooLong = "v".repeat(2_001);
            assertThat(code(fran.command("item.add", "title", "Too long", "value", tooLong))).isEqualTo("invalid_value");
            assertThat(code(fran.command("item.update", "itemId", "i2", "dependencies", tooLong)))
                    .isEqualTo("invalid_value");
            assertThat(code(fran.command("item.update", "itemId", "i2", "value", 7))).isEqualTo("malformed");
            assertThat(code(fran.command("item.flag.resolve", "itemId", "i1", "flag", "risk", "note", 5)))
                    .isEqualTo("malformed");
            fran.command("item.split", "itemId", "i1", "children", twoParts());
            assertThat(code(fran.command("item.select", "itemId", "i1"))).isEqualTo("item_split");
        }
    }

    @Test
    void aRefinedBacklogComesBackWholeFromTheRecord() {
        TestRoom room = TestRoom.create(base, "Refined");
        try (Team team = room.team()) {
            RoomClient fran = team.facilitator();
            fran.command("settings.update", "velocity", 10, "readiness", new JsonObject().put("risks", true));
            fran.command("item.add", "title", "Checkout", "acceptanceCriteria", "Pays", "value", "Revenue",
                    "dependencies", "Payment provider contract");
            fran.command("item.add", "title", "Search", "acceptanceCriteria", "Finds", "value", "Fewer calls");
            team.playRound("i1", "21", "13 too-big");
            team.estimate("i1", "21");
            JsonObject checkout = itemIn(fran, "item.estimated", "i1");
            assertThat(checkout.getJsonObject("readiness").getJsonArray("checks").getJsonObject(2)
                    .getJsonArray("missing").getList()).containsExactly("above-max", "too-big");

            JsonObject split = fran.command("item.split", "itemId", "i1", "children", new JsonArray()
                    .add(new JsonObject().put("title", "Pay by card").put("acceptanceCriteria", "Card works")
                            .put("value", "Most pay so"))
                    .add(new JsonObject().put("title", "Pay by invoice").put("acceptanceCriteria", "Invoice sent")
                            .put("value", "B2B")));
            JsonObject splitEvent = team.ana().awaitEvent("item.split", split.getLong("version"));
            assertThat(splitEvent.getJsonObject("item").getString("status")).isEqualTo("split");
            assertThat(splitEvent.getJsonArray("children").getJsonObject(0).getString("parentId")).isEqualTo("i1");
            assertThat(splitEvent.getJsonArray("order").getList()).containsExactly("i1", "i3", "i4", "i2");

            JsonObject move = fran.command("item.move", "itemId", "i2", "toIndex", 1);
            JsonObject moved = team.ana().awaitEvent("item.moved", move.getLong("version"));
            assertThat(moved.getJsonArray("order").getList()).containsExactly("i1", "i2", "i3", "i4");

            team.playRound("i3", "3 risk", "5");
            fran.command("item.flag.resolve", "itemId", "i3", "flag", "risk", "note", "Provider sandbox ready");
            team.estimate("i3", "5");
            JsonObject card = itemIn(fran, "item.estimated", "i3");
            assertThat(card.getJsonObject("readiness").getBoolean("ready")).isTrue();
            JsonObject stricter = fran.command("settings.update", "readiness", new JsonObject().put("maxEstimate", "3"));
            JsonObject changed = team.ana().awaitEvent("settings.changed", stricter.getLong("version"));
            assertThat(changed.getJsonObject("itemReadiness").getJsonObject("i3").getJsonArray("missing").getList())
                    .containsExactly("above-max");
            fran.command("settings.update", "readiness", new JsonObject().put("maxEstimate", "8"));
            await().atMost(Duration.ofSeconds(20)).until(() -> outbox.backlog() == 0);
        }

        ((InMemoryRoomStore) ClientProxy.unwrap(store)).expireIdle(Duration.ofDays(-1));

        try (RoomClient fran = room.facilitator()) {
            JsonObject state = fran.welcome().getJsonObject("state");
            assertThat(state.getString("notice")).contains("restored");
            JsonArray items = state.getJsonArray("items");
            assertThat(items.stream().map(i -> ((JsonObject) i).getString("id")).toList())
                    .containsExactly("i1", "i2", "i3", "i4");
            JsonObject checkout = items.getJsonObject(0);
            assertThat(checkout.getString("status")).isEqualTo("split");
            assertThat(checkout.getString("dependencies")).isEqualTo("Payment provider contract");
            assertThat(checkout.getJsonArray("openFlags").getList()).containsExactly("too-big");
            JsonObject card = items.getJsonObject(2);
            assertThat(card.getString("parentId")).isEqualTo("i1");
            assertThat(card.getString("value")).isEqualTo("Most pay so");
            assertThat(card.getJsonArray("resolutions").getJsonObject(0).getString("note"))
                    .isEqualTo("Provider sandbox ready");
            assertThat(card.getJsonObject("readiness").getBoolean("ready")).isTrue();
            assertThat(state.getJsonObject("settings").getDouble("velocity")).isEqualTo(10.0);
            JsonObject runway = state.getJsonObject("runway");
            assertThat(runway.getInteger("readyItems")).isEqualTo(1);
            assertThat(runway.getDouble("sprints")).isEqualTo(0.5);
            assertThat(code(fran.command("item.select", "itemId", "i1"))).isEqualTo("item_split");
        }
    }

    private static JsonArray twoParts() {
        return new JsonArray().add(new JsonObject().put("title", "Part one")).add(new JsonObject().put("title",
                "Part two"));
    }

    /** The item as the latest event of this type about it carried it. */
    private static JsonObject itemIn(RoomClient client, String type, String itemId) {
        List<JsonObject> events = client.events().stream().filter(e -> type.equals(e.getString("type"))
                && itemId.equals(e.getJsonObject("item").getString("id"))).toList();
        return events.get(events.size() - 1).getJsonObject("item");
    }

    private static String code(JsonObject reply) {
        return reply.getString("code");
    }
}

package dev.readyroom.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ImportTest {
    private static final String JIRA = "Summary,Issue key,Issue id,Issue Type,Status,Description,Sprint,Sprint\r\n"
            + "Checkout with PayPal,SHOP-12,10012,Story,To Do,\"As a buyer,\nI pay with PayPal.\",S1,S2\r\n"
            + "\"Refund, partial\",SHOP-13,10013,Story,To Do,,,\r\n";

    @TestHTTPResource("/")
    URI base;

    @Test
    void aJiraExportEntersTheLiveRoomInOrder() {
        TestRoom room = TestRoom.create(base, "Import");
        try (RoomClient fran = room.facilitator()) {
            given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body(JIRA)
                    .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                    .body("imported", equalTo(2)).body("items[1].title", equalTo("Refund, partial"));
            JsonObject added = fran.awaitMessage(m -> "item.added".equals(m.getString("type"))
                    && "i1".equals(m.getJsonObject("item").getString("id")));
            assertThat(added.getJsonObject("item").getString("reference")).isEqualTo("SHOP-12");
            assertThat(added.getJsonObject("item").getString("description"))
                    .isEqualTo("As a buyer,\nI pay with PayPal.");
        }
    }

    @Test
    void aDryRunAnswersWhatWouldBeAddedAndAddsNothing() {
        TestRoom room = TestRoom.create(base, "Preview");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body(JIRA)
                .post("/api/rooms/" + room.id() + "/items/import?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("count", equalTo(2))
                .body("items[0].title", equalTo("Checkout with PayPal"))
                .body("items[0].reference", equalTo("SHOP-12"))
                .body("items[0].description", equalTo("As a buyer,\nI pay with PayPal."))
                .body("items[1].title", equalTo("Refund, partial"));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }

    @Test
    void aDryRunOfABadFileNamesTheLineLikeTheImport() {
        TestRoom room = TestRoom.create(base, "Preview bad");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/plain")
                .body("Fine\n\n" + "x".repeat(201) + "\n")
                .post("/api/rooms/" + room.id() + "/items/import?dryRun=true").then().statusCode(400)
                .body("code", equalTo("invalid_import")).body("line", equalTo(3));
        given().header("X-Facilitator-Key", "not-the-key").contentType("text/plain").body("Fine")
                .post("/api/rooms/" + room.id() + "/items/import?dryRun=true").then().statusCode(403);
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }

    @Test
    void aGitHubExportTakesTheUrlAsReference() {
        TestRoom room = TestRoom.create(base, "GitHub");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv; charset=UTF-8")
                .body("\uFEFFTitle,URL,Assignees,Status,Labels\nDark mode,https://github.com/o/r/issues/4,,Todo,ui\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                .body("items[0].title", equalTo("Dark mode"));
        try (RoomClient fran = room.facilitator()) {
            assertThat(fran.welcome().getJsonObject("state").getJsonArray("items").getJsonObject(0)
                    .getString("reference"))
                    .isEqualTo("https://github.com/o/r/issues/4");
        }
    }

    @Test
    void pastedTextIsOneItemALine() {
        TestRoom room = TestRoom.create(base, "Text");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/plain; charset=UTF-8")
                .body("- Search by tag\n\n* Save filters\n3. Share a filter\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                .body("imported", equalTo(3)).body("items.title[2]", equalTo("Share a filter"));
    }

    @Test
    void aFileThatWouldOverfillTheBacklogsTextIsRefusedAsAWhole() {
        TestRoom room = TestRoom.create(base, "Too much text");
        StringBuilder csv = new StringBuilder("Summary,Description\n");
        for (int i = 0; i < 60; i++) {
            csv.append("Item ").append(i).append(',').append("d".repeat(4_000)).append('\n');
        }
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body(csv.toString())
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(409)
                .body("code", equalTo("backlog_full"));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }

    @Test
    void aBadRowRefusesTheWholeFileNamingLineAndColumn() {
        TestRoom room = TestRoom.create(base, "Bad file");
        String csv = "Key,Summary\nA-1,Fine\nA-2,\nA-3,Also fine\n";
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body(csv)
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(400)
                .body("code", equalTo("invalid_import")).body("line", equalTo(3))
                .body("column", equalTo("2 (Summary)"))
                .body("message", org.hamcrest.Matchers.startsWith("Line 3, column 2 (Summary): A title"));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }

    @Test
    void aFileWithoutATitleColumnOrWithABrokenQuoteIsRefused() {
        TestRoom room = TestRoom.create(base, "No title");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body("Key,Owner\nA-1,me\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(400)
                .body("code", equalTo("missing_column")).body("line", equalTo(1));
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv")
                .body("Summary\nok\n\"never closed\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(400)
                .body("code", equalTo("invalid_csv")).body("line", equalTo(3));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }

    @Test
    void aFileOfAnotherTypeIsToldWhatToSend() {
        TestRoom room = TestRoom.create(base, "Types");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("application/json").body("[]")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(415)
                .body("code", equalTo("unsupported_media_type"))
                .body("message", org.hamcrest.Matchers.containsString("text/csv or text/plain"));
    }

    @Test
    void onlyTheFacilitatorImports() {
        TestRoom room = TestRoom.create(base, "Keys");
        given().contentType("text/plain").body("An item").post("/api/rooms/" + room.id() + "/items/import")
                .then().statusCode(401).body("code", equalTo("missing_key"));
        given().header("X-Facilitator-Key", "not-the-key").contentType("text/plain").body("An item")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(403)
                .body("code", equalTo("invalid_key"));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }
}

package dev.readyroom.record;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
        Rooms room = Rooms.create("Import");
        try (RoomClient fran = room.facilitator(base)) {
            given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv").body(JIRA)
                    .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                    .body("imported", equalTo(2)).body("items[1].title", equalTo("Refund, partial"));
            JsonNode added = fran.awaitMessage(m -> m.path("type").asText().equals("item.added")
                    && m.path("item").path("id").asText().equals("i1"));
            assertThat(added.get("item").get("reference").asText()).isEqualTo("SHOP-12");
            assertThat(added.get("item").get("description").asText()).isEqualTo("As a buyer,\nI pay with PayPal.");
        }
    }

    @Test
    void aGitHubExportTakesTheUrlAsReference() {
        Rooms room = Rooms.create("GitHub");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/csv; charset=UTF-8")
                .body("\uFEFFTitle,URL,Assignees,Status,Labels\nDark mode,https://github.com/o/r/issues/4,,Todo,ui\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                .body("items[0].title", equalTo("Dark mode"));
        try (RoomClient fran = room.facilitator(base)) {
            assertThat(fran.welcome.at("/state/items/0/reference").asText())
                    .isEqualTo("https://github.com/o/r/issues/4");
        }
    }

    @Test
    void pastedTextIsOneItemALine() {
        Rooms room = Rooms.create("Text");
        given().header("X-Facilitator-Key", room.facilitatorKey()).contentType("text/plain; charset=UTF-8")
                .body("- Search by tag\n\n* Save filters\n3. Share a filter\n")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(201)
                .body("imported", equalTo(3)).body("items.title[2]", equalTo("Share a filter"));
    }

    @Test
    void aBadRowRefusesTheWholeFileNamingLineAndColumn() {
        Rooms room = Rooms.create("Bad file");
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
        Rooms room = Rooms.create("No title");
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
    void onlyTheFacilitatorImports() {
        Rooms room = Rooms.create("Keys");
        given().contentType("text/plain").body("An item").post("/api/rooms/" + room.id() + "/items/import")
                .then().statusCode(401).body("code", equalTo("missing_key"));
        given().header("X-Facilitator-Key", "not-the-key").contentType("text/plain").body("An item")
                .post("/api/rooms/" + room.id() + "/items/import").then().statusCode(403)
                .body("code", equalTo("invalid_key"));
        given().get("/api/rooms/" + room.id()).then().body("items", equalTo(0));
    }
}

package dev.readyroom.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RoomResourceTest {

    @Test
    void creatingARoomReturnsAnUnguessableIdAndAFacilitatorKeyOnce() {
        JsonPath created = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Team Falcon\",\"deck\":\"tshirt\",\"autoReveal\":true}")
                .post("/api/rooms").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.matchesPattern("http://[^/]+/api/rooms/[A-Za-z0-9_-]{22}"))
                .extract().jsonPath();

        String id = created.getString("id");
        assertThat(id).matches("[A-Za-z0-9_-]{22}");
        assertThat(created.getString("facilitatorKey")).matches("[A-Za-z0-9_-]{43}");
        assertThat(created.getString("joinUrl")).matches("http://[^/]+/r/" + id).doesNotContain(created.getString("facilitatorKey"));
        assertThat(created.getList("deck.cards", String.class)).containsExactly("XS", "S", "M", "L", "XL", "XXL", "?",
                "coffee");

        given().get("/api/rooms/" + id).then().statusCode(200)
                .body("name", equalTo("Team Falcon"))
                .body("settings.autoReveal", equalTo(true))
                .body("participants", equalTo(0))
                .body("$", not(org.hamcrest.Matchers.hasKey("facilitatorKey")))
                .body("$", not(org.hamcrest.Matchers.hasKey("facilitatorKeyHash")));
    }

    @Test
    void aCustomDeckKeepsItsCards() {
        given().contentType(ContentType.JSON).body("{\"name\":\"Custom\",\"deck\":{\"cards\":[\"1\",\"2\",\"4\",\"?\"]}}")
                .post("/api/rooms").then().statusCode(201)
                .body("deck.id", equalTo("custom")).body("deck.cards", hasSize(4));
    }

    @Test
    void badRoomsAreRefusedWithACode() {
        given().contentType(ContentType.JSON).body("{\"name\":\"\",\"deck\":\"fibonacci\"}").post("/api/rooms")
                .then().statusCode(400).body("code", equalTo("invalid_name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(81) + "\"}").post("/api/rooms")
                .then().statusCode(400).body("code", equalTo("invalid_name"));
        given().contentType(ContentType.JSON).body("{\"name\":\"A\",\"deck\":\"bananas\"}").post("/api/rooms")
                .then().statusCode(400).body("code", equalTo("invalid_deck"));
        given().contentType(ContentType.JSON).body("{\"name\":\"A\",\"deck\":{\"cards\":[\"1\",\"1\"]}}")
                .post("/api/rooms").then().statusCode(400).body("code", equalTo("invalid_deck"));
        given().contentType(ContentType.JSON).body("{\"name\":").post("/api/rooms")
                .then().statusCode(400).body("code", equalTo("malformed"))
                .body(not(containsString("Exception")));
    }

    @Test
    void anUnknownRoomIs404WithACode() {
        given().get("/api/rooms/nope").then().statusCode(404).body("code", equalTo("room_not_found"));
    }

    @Test
    void theFourBuiltInDecksAreListed() {
        given().get("/api/decks").then().statusCode(200)
                .body("id", hasItems("fibonacci", "modified-fibonacci", "tshirt", "powers-of-two"))
                .body("find { it.id == 'modified-fibonacci' }.cards", hasItems("1/2", "20", "40", "100"));
    }

    @Test
    void operationsEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/rooms"));
    }
}

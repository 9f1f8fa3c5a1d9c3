package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Creates rooms over the real REST API for tests. */
public final class TestRooms {

    public record Room(String id, String facilitatorKey) {
    }

    private TestRooms() {
    }

    public static Room create(String deckJson) {
        JsonPath created = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Test room\",\"deck\":" + deckJson + "}")
                .post("/api/rooms").then().statusCode(201).extract().jsonPath();
        return new Room(created.getString("id"), created.getString("facilitatorKey"));
    }

    public static Room create() {
        return create("\"fibonacci\"");
    }
}

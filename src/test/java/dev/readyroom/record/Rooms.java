package dev.readyroom.record;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;

/** A room made over REST, with what a test needs to play it. */
public record Rooms(String id, String facilitatorKey) {

    public static Rooms create(String name) {
        JsonPath created = given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"deck\":\"fibonacci\"}")
                .post("/api/rooms").then().statusCode(201).extract().jsonPath();
        return new Rooms(created.getString("id"), created.getString("facilitatorKey"));
    }

    public RoomClient facilitator(URI base) {
        return RoomClient.join(base, id, "Fran", "observer", facilitatorKey);
    }

    public RoomClient voter(URI base, String name) {
        return RoomClient.join(base, id, name, "voter", null);
    }
}

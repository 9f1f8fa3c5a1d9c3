package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RawUpgrade;
import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may hold a room socket: one that never joins is closed after the join timeout (1 s here),
 * and one address holds at most its sockets (5 here) and makes at most its burst of upgrades (8
 * here, refilled at 2 a second); past either, the upgrade is answered 429 with Retry-After.
 * Every open socket counts in readyroom_connections, joined or not.
 */
@QuarkusTest
@TestProfile(AdmissionTest.TightLimits.class)
class AdmissionTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("readyroom.websocket.join-timeout", "1s",
                    "readyroom.limits.sockets-per-address", "5",
                    "readyroom.limits.upgrades-per-address-burst", "8",
                    "readyroom.limits.upgrades-per-address-per-second", "2");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSocketThatNeverJoinsIsClosedAfterTheJoinTimeoutAndCountsWhileOpen() {
        try (TestRoom room = TestRoom.create(base); RoomClient silent = room.connect()) {
            await().atMost(Duration.ofSeconds(2)).until(() -> connections() >= 1);

            await().atMost(Duration.ofSeconds(4)).until(silent::isClosed);

            assertThat(silent.closeCode()).isEqualTo(1008);
            await().atMost(Duration.ofSeconds(2)).until(() -> connections() == 0);
        }
    }

    @Test
    void anAddressHoldsAtMostItsSocketsAndIsToldWhenToComeBack() throws Exception {
        awaitWholeBurst();
        try (TestRoom room = TestRoom.create(base)) {
            List<RoomClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(room.voter("Voter " + i));
                }
                RawUpgrade.Answer refused = upgrade(room.id());
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");

                held.remove(0).close();
                await().atMost(Duration.ofSeconds(3)).until(() -> RoomClient.upgradeStatus(base, room.id()) == 101);
            } finally {
                held.forEach(RoomClient::close);
            }
        }
    }

    @Test
    void anAddressUpgradingFasterThanItsBurstIsToldToWait() throws Exception {
        awaitWholeBurst();
        try (TestRoom room = TestRoom.create(base)) {
            int accepted = 0;
            long started = System.nanoTime();
            RawUpgrade.Answer answer = upgrade(room.id());
            while (answer.status() == 101 && accepted < 60) {
                accepted++;
                // Each socket is gone before the next, so only the upgrade rate can refuse.
                await().atMost(Duration.ofSeconds(10)).until(() -> connections() == 0);
                answer = upgrade(room.id());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(answer.status()).isEqualTo(429);
            // The burst of 8, and what refilled at 2 a second while the loop ran (slow on a busy machine).
            assertThat(accepted).isBetween(8, 8 + (int) Math.ceil(2 * seconds) + 1);
            long retryAfter = Long.parseLong(answer.header("Retry-After"));
            assertThat(retryAfter).isEqualTo(1L);

            Thread.sleep(retryAfter * 1000);
            await().atMost(Duration.ofSeconds(3)).until(() -> RoomClient.upgradeStatus(base, room.id()) == 101);
        }
    }

    /** The tests share one address: each starts once the burst is whole again (8 at 2 a second). */
    private static void awaitWholeBurst() throws InterruptedException {
        Thread.sleep(4_500);
    }

    private RawUpgrade.Answer upgrade(String roomId) throws IOException {
        return RawUpgrade.answer(base, "/ws/rooms/" + roomId, Map.of());
    }

    private static double connections() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("readyroom_connections "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

}

package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RawUpgrade;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that floods pings and never reads its pongs, without even joining: the server stops
 * reading it once what it queued for it passes its high-water mark, and drops it after the grace
 * (1 s in tests), so the pongs it answers never pile up in the server's memory.
 */
@QuarkusTest
class PingFloodTest {
    private static final int PING_PAYLOAD = 125;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aClientThatFloodsPingsAndNeverReadsIsStoppedThenDropped() throws Exception {
        double droppedBefore = slowReadersClosed();
        AtomicLong sent = new AtomicLong();
        long started = System.nanoTime();
        try (Socket flooder = upgradedNonReader()) {
            OutputStream out = flooder.getOutputStream();
            byte[] ping = maskedPing();
            long deadline = started + 20_000_000_000L;
            IOException dropped = null;
            // A blocked write has no timeout of its own: a server that stops reading but never
            // drops the client would hang the test, so the socket is closed under it at 25 s.
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(25_000);
                    flooder.close();
                } catch (InterruptedException | IOException e) {
                    Thread.currentThread().interrupt();
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                while (System.nanoTime() < deadline) {
                    out.write(ping);
                    sent.addAndGet(ping.length);
                }
            } catch (IOException e) {
                dropped = e;
            }
            watchdog.interrupt();
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            assertThat(dropped).as("the server drops the flooder (after %d s, %d bytes sent)", seconds, sent.get())
                    .isNotNull();
            assertThat(seconds).isLessThan(15);
            // The server stopped reading it: what it took in is a few windows, not a flood.
            assertThat(sent.get()).isLessThan(16L << 20);
        }
        assertThat(slowReadersClosed()).isGreaterThan(droppedBefore);
    }

    /** Upgraded with a receive window of 2 KB, and never read again. */
    private Socket upgradedNonReader() throws IOException {
        String roomId = given().contentType("application/json").body("{\"name\":\"Flooded\",\"deck\":\"fibonacci\"}")
                .post("/api/rooms").then().statusCode(201).extract().path("id");
        return RawUpgrade.open(base, "/ws/rooms/" + roomId, 2048);
    }

    private static byte[] maskedPing() {
        byte[] frame = new byte[2 + 4 + PING_PAYLOAD];
        frame[0] = (byte) 0x89;
        frame[1] = (byte) (0x80 | PING_PAYLOAD);
        frame[2] = 0x11;
        frame[3] = 0x22;
        frame[4] = 0x33;
        frame[5] = 0x44;
        for (int i = 0; i < PING_PAYLOAD; i++) {
            frame[6 + i] = (byte) ('p' ^ frame[2 + i % 4]);
        }
        return frame;
    }

    private static double slowReadersClosed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("readyroom_slow_readers_closed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}

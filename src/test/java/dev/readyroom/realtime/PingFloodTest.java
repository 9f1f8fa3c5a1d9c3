package dev.readyroom.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RawUpgrade;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Pings are rate-limited per connection (5 a second, bursts of 10): a client past the rate is closed
 * with 1008 at once and the rest of its flood is dropped unread, so it costs neither pongs nor
 * memory; a client within the rate gets every pong.
 */
@QuarkusTest
class PingFloodTest {
    private static final int PING_PAYLOAD = 125;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aClientPingingWithinTheRateGetsEveryPong() throws Exception {
        try (Socket client = RawUpgrade.open(base, "/ws/rooms/" + newRoom(), 1 << 16)) {
            client.setSoTimeout(5_000);
            InputStream in = client.getInputStream();
            for (int i = 0; i < 12; i++) {
                client.getOutputStream().write(maskedPing());
                int[] frame = readFrame(in);
                assertThat(frame[0]).as("answer to ping %d", i).isEqualTo(0xA);
                assertThat(frame[1]).isEqualTo(PING_PAYLOAD);
                Thread.sleep(250);
            }
        }
    }

    @Test
    void aClientPastThePingRateIsClosedWithPolicyViolationAndGetsNoMorePongs() throws Exception {
        double closedBefore = pingFloodersClosed();
        try (Socket client = RawUpgrade.open(base, "/ws/rooms/" + newRoom(), 1 << 16)) {
            client.setSoTimeout(5_000);
            byte[] hundredPings = new byte[0];
            for (int i = 0; i < 100; i++) {
                hundredPings = concat(hundredPings, maskedPing());
            }
            InputStream in = client.getInputStream();
            joinAndAwaitReply(client, in);
            client.getOutputStream().write(hundredPings);
            int pongs = 0;
            int[] frame;
            while ((frame = readFrame(in))[0] == 0xA) {
                pongs++;
            }
            assertThat(frame[0]).as("a close frame").isEqualTo(0x8);
            assertThat(frame[2]).isEqualTo(1008);
            assertThat(pongs).as("pongs before the close: the burst only").isLessThanOrEqualTo(10);
            int next;
            while ((next = in.read()) == 0x88) {
                // Vert.x may repeat the close as the connection goes: nothing but close frames follow.
                in.readNBytes(in.read() & 0x7F);
            }
            assertThat(next).as("the server closes the connection").isEqualTo(-1);
        }
        assertThat(pingFloodersClosed()).isGreaterThan(closedBefore);
    }

    @Test
    void aClientThatFloodsPingsAndNeverReadsIsDroppedBeforeItsPongsPileUp() throws Exception {
        double closedBefore = pingFloodersClosed();
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
            assertThat(seconds).isLessThan(5);
            // The server stopped reading it: what the client could write is what the kernel's socket
            // buffers on both sides took (a few MiB on loopback), not a flood.
            assertThat(sent.get()).isLessThan(16L << 20);
        }
        assertThat(pingFloodersClosed()).isGreaterThan(closedBefore);
    }

    private String newRoom() {
        return given().contentType("application/json").body("{\"name\":\"Pinged\",\"deck\":\"fibonacci\"}")
                .post("/api/rooms").then().statusCode(201).extract().path("id");
    }

    /** Joins, so the server has opened the connection for certain, and waits for its first message. */
    private static void joinAndAwaitReply(Socket client, InputStream in) throws IOException {
        byte[] join = "{\"type\":\"join\",\"name\":\"Pinger\",\"role\":\"voter\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + join.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | join.length);
        for (int i = 0; i < join.length; i++) {
            frame[6 + i] = join[i]; // a zero mask
        }
        client.getOutputStream().write(frame);
        assertThat(readFrame(in)[0]).as("a text message").isEqualTo(0x1);
    }

    /** One unmasked server frame: {opcode, payload length, close code or -1}. */
    private static int[] readFrame(InputStream in) throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            throw new EOFException("The server closed the connection");
        }
        int length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = (int) new DataInputStream(in).readLong();
        }
        byte[] payload = in.readNBytes(length);
        int closeCode = (first & 0x0F) == 0x8 && length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        return new int[] {first & 0x0F, length, closeCode};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Upgraded with a receive window of 2 KB, and never read again. */
    private Socket upgradedNonReader() throws IOException {
        return RawUpgrade.open(base, "/ws/rooms/" + newRoom(), 2048);
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

    private static double pingFloodersClosed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("readyroom_ping_flooders_closed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}

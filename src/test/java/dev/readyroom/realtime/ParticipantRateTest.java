package dev.readyroom.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command rate (bursts of 20, refilled at 5 a second by default) is the participant's, not the connection's: resuming
 * on fresh connections, each sending a full burst, gets no more than one participant's allowance.
 */
@QuarkusTest
class ParticipantRateTest {
    private static final int CONNECTIONS = 5;
    private static final int BURST = 20;

    @TestHTTPResource("/")
    URI base;

    @Test
    void reconnectingDoesNotRefillTheCommandRate() {
        try (TestRoom room = TestRoom.create(base)) {
            RoomClient first = room.voter("Ana");
            String token = first.welcome().getString("token");
            List<RoomClient> connections = new ArrayList<>(List.of(first));
            List<String> sent = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    RoomClient client = c == 0 ? first : room.connect();
                    if (c > 0) {
                        client.resume("Ana", token, null, null);
                        connections.add(client);
                    }
                    for (int i = 0; i < BURST - 1; i++) {
                        sent.add(client.sendCommand("participant.update", "name", "Ana " + c + "." + i));
                    }
                    RoomClient sender = client;
                    await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream()
                            .filter(opId -> sender.reply(opId) != null).count() >= BURST - 1
                            || sender.isClosed());
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long acked = connections.stream().mapToLong(client -> sent.stream().map(client::reply)
                        .filter(reply -> reply != null && "ack".equals(reply.getString("type"))).count()).sum();
                long limited = connections.stream().mapToLong(client -> sent.stream().map(client::reply)
                        .filter(reply -> reply != null && "rate_limited".equals(reply.getString("code"))).count())
                        .sum();

                // One burst, and what refilled while the connections were made; not five bursts.
                assertThat(acked).as("acked over %.1f s", seconds)
                        .isLessThanOrEqualTo(BURST + (long) (seconds * 5) + 2);
                assertThat(limited).isPositive();
            } finally {
                connections.forEach(RoomClient::close);
            }
        }
    }
}

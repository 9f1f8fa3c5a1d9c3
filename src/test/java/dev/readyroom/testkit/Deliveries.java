package dev.readyroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** What the clients of one room received, checked across them. */
public final class Deliveries {
    private Deliveries() {
    }

    /**
     * Every client saw each version from its welcome to {@code last} once, in order, as the same
     * bytes; they have {@code within} to catch up to {@code last}.
     */
    public static void assertEveryoneSawEverything(Collection<RoomClient> clients, long last, Duration within) {
        await().atMost(within).untilAsserted(() -> {
            for (RoomClient client : clients) {
                assertThat(client.lastVersion()).as(client.toString()).isEqualTo(last);
            }
        });
        Map<Long, String> texts = new HashMap<>();
        for (RoomClient client : clients) {
            long from = client.welcome().getLong("version");
            List<Long> versions = client.events().stream().map(e -> e.getLong("version")).toList();
            assertThat(versions).as(client + " versions").containsExactlyElementsOf(
                    LongStream.rangeClosed(from + 1, last).boxed().toList());
            for (RoomClient.Frame event : client.eventFrames()) {
                String first = texts.putIfAbsent(event.message().getLong("version"), event.text());
                assertThat(first == null ? event.text() : first).as(client + " event bytes").isEqualTo(event.text());
            }
        }
    }
}

package dev.readyroom.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RoomClient;
import dev.readyroom.testkit.TestRoom;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Outbound reaches into WebSockets Next, Vert.x and Netty internals by reflection, and falls back to
 * slower paths without a word where they are not found: after a Quarkus upgrade, this test is what
 * says so (docs/benchmarks.md has what the direct path is worth).
 */
@QuarkusTest
class OutboundPathTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    OpenConnections connections;

    @Test
    void framesGoStraightToTheNettyChannelCorkedAndSlowReadersAreDroppedAtTcp() {
        try (TestRoom room = TestRoom.create(base)) {
            RoomClient ana = room.voter("Ana");
            WebSocketConnection serverSide = serverSideOf(room);
            // Made as RoomWebSocket makes each connection's own when it opens.
            Outbound out = Outbound.of(serverSide, Duration.ofSeconds(1), 1 << 20,
                    new SimpleMeterRegistry().counter("slow.readers"));

            assertThat(out.path()).isEqualTo(Outbound.Path.DIRECT);
            assertThat(out.corkable()).as("cork: needs Vert.x's count of queued writes").isTrue();
            assertThat(out.dropsAtTcp()).as("a slow reader is cut off below Vert.x").isTrue();
            assertThat(out.limited()).as("its queue is bounded in bytes on the channel").isTrue();

            // A frame written that way reaches the client (a failed direct write would be silent).
            out.send(new JsonObject().put("type", "probe").encode());
            assertThat(ana.awaitMessage(m -> "probe".equals(m.getString("type")))).isNotNull();
        }
    }

    /** The server's end of the room's only connection. */
    private WebSocketConnection serverSideOf(TestRoom room) {
        List<WebSocketConnection> ofRoom = connections.stream()
                .filter(c -> room.id().equals(c.pathParam("roomId"))).toList();
        assertThat(ofRoom).hasSize(1);
        return ofRoom.get(0);
    }
}

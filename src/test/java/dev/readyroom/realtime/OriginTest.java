package dev.readyroom.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readyroom.testkit.RawUpgrade;
import dev.readyroom.testkit.TestRoom;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A browser page may open a room socket only from this service's own origin (same scheme, host and
 * port) or a configured one (https://allowed.example in tests). Whatever else an Origin says,
 * however malformed, is refused with 403, never a server error.
 */
@QuarkusTest
class OriginTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void originsThatAreNotAnHttpOriginWithAHostAreForeign() throws IOException {
        try (TestRoom room = TestRoom.create(base)) {
            String own = base.getHost() + ":" + base.getPort();
            for (String origin : new String[] {"null", "", "   ", "http://" + own + ".evil.com",
                    "http://" + base.getHost() + ":" + base.getPort() + "@evil.com", "file://" + own,
                    "http://[::1", "javascript:alert(1)", "http://" + own + "/path"}) {
                assertThat(upgrade(room, origin).status()).as("Origin: %s", origin).isEqualTo(403);
            }
        }
    }

    @Test
    void anHttpsPageIsForeignToAnHttpServiceOnTheSameHost() throws IOException {
        try (TestRoom room = TestRoom.create(base)) {
            assertThat(upgrade(room, "https://" + base.getHost() + ":" + base.getPort()).status()).isEqualTo(403);
            assertThat(upgrade(room, "http://" + base.getHost() + ":" + base.getPort()).status()).isEqualTo(101);
            assertThat(upgrade(room, "HTTP://" + base.getHost().toUpperCase() + ":" + base.getPort() + "/").status())
                    .isEqualTo(101);
            assertThat(upgrade(room, "https://allowed.example").status()).isEqualTo(101);
        }
    }

    private RawUpgrade.Answer upgrade(TestRoom room, String origin) throws IOException {
        return RawUpgrade.answer(base, "/ws/rooms/" + room.id(), Map.of("Origin", origin));
    }
}

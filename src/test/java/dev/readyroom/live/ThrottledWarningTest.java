package dev.readyroom.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> logged = new ArrayList<>();
    private final ThrottledWarning warning = new ThrottledWarning(Duration.ofSeconds(1), now::get, logged::add);

    @Test
    void theFirstWarningIsLoggedAtOnceAndTheRestOfItsSecondOnlyCounted() {
        warning.warn("Command vote in a room failed: timed out");
        now.addAndGet(Duration.ofMillis(300).toNanos());
        warning.warn("Command vote in a room failed: timed out");
        warning.warn("Command leave in a room failed: timed out");

        assertThat(logged).containsExactly("Command vote in a room failed: timed out");
    }

    @Test
    void theNextWarningAfterThePeriodSaysHowManyWereLeftOut() {
        warning.warn("first");
        warning.warn("second");
        warning.warn("third");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        warning.warn("fourth");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        warning.warn("fifth");

        assertThat(logged).containsExactly("first", "fourth (2 more not logged since the last)", "fifth");
    }
}

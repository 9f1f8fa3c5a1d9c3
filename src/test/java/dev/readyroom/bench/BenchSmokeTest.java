package dev.readyroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's CI smoke: a few seconds of the generator against the raw baseline (in this JVM)
 * and against the service under test, proving both still speak the protocol and lose nothing.
 * The figures mean nothing here; docs/benchmarks.md has the real runs.
 */
@QuarkusTest
class BenchSmokeTest {
    private static final Scenario SMOKE = Scenario.named("smoke").get(0);
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TestHTTPResource("/")
    URI base;

    @Test
    void generatorDeliversEveryEventThroughTheBaseline() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int port = BaselineServer.start(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertSane(run("baseline", port));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void generatorDeliversEveryEventThroughTheService() throws Exception {
        Report report = run("service", base.getPort());
        assertSane(report);
        // One ack per item added, per vote, per select and per reveal.
        assertThat(report.acks()).isEqualTo((long) SMOKE.rooms() * SMOKE.rounds() * (SMOKE.voters() + 3));
    }

    private Report run(String name, int port) throws Exception {
        return new LoadGenerator(SMOKE, new LoadGenerator.Target(name, "127.0.0.1", port, OWN_PID), 2, 7).run();
    }

    private static void assertSane(Report report) {
        System.out.println(report.text());
        assertThat(report.held()).isEqualTo(SMOKE.connections());
        assertThat(report.connectFailures()).isZero();
        assertThat(report.errors()).isZero();
        long perRound = (long) SMOKE.rooms() * SMOKE.perRoom() * (SMOKE.voters() + 2);
        assertThat(report.expected()).isEqualTo(perRound * SMOKE.rounds());
        assertThat(report.missing()).isZero();
        assertThat(report.voteEveryone().getTotalCount())
                .isEqualTo((long) SMOKE.rooms() * SMOKE.voters() * SMOKE.measuredRounds());
        assertThat(report.revealEveryone().getTotalCount()).isEqualTo((long) SMOKE.rooms() * SMOKE.measuredRounds());
        assertThat(report.messagesPerSecond()).isPositive();
        // The measured rounds span a few seconds, each named with its slowest delivery.
        assertThat(report.slowestSeconds())
                .matches("\\d\\d:\\d\\d:\\d\\d \\d+ ms.*; \\d+ of [2-9] seconds over 100 ms");
        assertThat(report.serverCpuMicrosPerMessage()).isPositive();
    }
}

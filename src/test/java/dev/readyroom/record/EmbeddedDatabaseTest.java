package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL is the user's durable record in standalone mode, not a test database. */
class EmbeddedDatabaseTest {

    @Test
    void theEmbeddedRecordSyncsEveryCommitToDiskAndListensOnLoopbackOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("readyroom-embedded-test");
        try (EmbeddedPostgres postgres = EmbeddedDatabase.start(dataDir, EmbeddedDatabase.freePort(), true);
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(statement, "full_page_writes")).isEqualTo("on");
            assertThat(setting(statement, "listen_addresses")).isEqualTo("127.0.0.1");
        } finally {
            // A clean data directory is deleted when the database closes; this is for a failed start.
            if (Files.exists(dataDir)) {
                try (var files = Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void aStalePidFileNamingAnotherProcessNeverGetsItSignalled() throws Exception {
        Path dataDir = Files.createTempDirectory("readyroom-stale-pid");
        // A process whose path says "postgres", as the host's own PostgreSQL after a reboot would.
        Path decoyDir = Files.createDirectories(Files.createTempDirectory("readyroom-decoy").resolve("postgres"));
        Path decoyBinary = Files.copy(Path.of("/bin/sleep"), decoyDir.resolve("sleep"));
        decoyBinary.toFile().setExecutable(true);
        Process decoy = new ProcessBuilder(decoyBinary.toString(), "60").start();
        try {
            long started = decoy.info().startInstant().orElseThrow().getEpochSecond();
            Files.writeString(dataDir.resolve("postmaster.pid"), decoy.pid() + "\n" + dataDir + "\n" + started
                    + "\n5432\n/tmp\n127.0.0.1\n0\nready\n");

            assertThatThrownBy(() -> EmbeddedDatabase.stopLeftover(dataDir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not this data directory's PostgreSQL").hasMessageContaining("delete");
            Thread.sleep(200);
            assertThat(decoy.isAlive()).as("the decoy was not signalled").isTrue();

            // A pid file whose process is gone is left to PostgreSQL, which takes over a stale file.
            decoy.destroyForcibly().waitFor();
            EmbeddedDatabase.stopLeftover(dataDir);
        } finally {
            decoy.destroyForcibly();
        }
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}

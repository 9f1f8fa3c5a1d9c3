package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL is the user's durable record in standalone mode, not a test database. */
class EmbeddedDatabaseTest {

    @Test
    void theEmbeddedRecordSyncsEveryCommitToDisk() throws Exception {
        Path dataDir = Files.createTempDirectory("readyroom-embedded-test");
        try (EmbeddedPostgres postgres = EmbeddedDatabase.start(dataDir, EmbeddedDatabase.freePort(), true);
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(statement, "full_page_writes")).isEqualTo("on");
        } finally {
            // A clean data directory is deleted when the database closes; this is for a failed start.
            if (Files.exists(dataDir)) {
                try (var files = Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    private static String setting(Statement statement, String name) throws Exception {
        try (ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}

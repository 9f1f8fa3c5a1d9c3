package dev.readyroom.record;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL of standalone mode with nothing installed: started before Quarkus when no
 * datasource URL is configured, on a data directory kept across restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final List<String> URL_SETTINGS = List.of("quarkus.datasource.reactive.url",
            "quarkus.datasource.jdbc.url");
    static final String DATA_DIR = "readyroom.record.data-dir";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the embedded PostgreSQL and points the datasource at it, unless a URL is configured. */
    public static Optional<EmbeddedDatabase> startIfNoDatasource() {
        if (URL_SETTINGS.stream().anyMatch(name -> setting(name).isPresent())) {
            return Optional.empty();
        }
        if (System.getenv("REDIS_URL") != null) {
            LOG.warn("Cluster mode with an embedded PostgreSQL: each node keeps its own record. Configure a shared"
                    + " PostgreSQL with QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL.");
        }
        Path dataDir = Path.of(setting(DATA_DIR).orElse(System.getProperty("user.home")
                + "/.ready-room/postgres")).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            stopLeftover(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                    .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30)).start();
            LOG.infof("Embedded PostgreSQL on port %d, data in %s (%d ms)", postgres.getPort(), dataDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            System.setProperty("quarkus.datasource.reactive.url",
                    "postgresql://localhost:" + postgres.getPort() + "/postgres");
            System.setProperty("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
            System.setProperty("quarkus.datasource.username", "postgres");
            return Optional.of(new EmbeddedDatabase(postgres));
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not start in " + dataDir, e);
        }
    }

    /** A PostgreSQL left running by a service that was killed holds the data directory: stop it first. */
    private static void stopLeftover(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("");
        try {
            long pid = Long.parseLong(firstLine.strip());
            Optional<ProcessHandle> leftover = ProcessHandle.of(pid);
            if (leftover.isPresent() && leftover.get().info().command().orElse("").contains("postgres")) {
                LOG.warnf("Stopping the embedded PostgreSQL left running by an earlier start (pid %d)", pid);
                leftover.get().destroy();
                leftover.get().onExit().get(15, TimeUnit.SECONDS);
            }
        } catch (NumberFormatException e) {
            LOG.debugf("Unreadable %s", pidFile);
        } catch (Exception e) {
            throw new IOException("An earlier embedded PostgreSQL holds " + dataDir, e);
        }
    }

    private static Optional<String> setting(String name) {
        String property = System.getProperty(name);
        if (property != null && !property.isBlank()) {
            return Optional.of(property);
        }
        String env = System.getenv(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("The embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }
}

package dev.readyroom.record;

import dev.readyroom.config.BootSettings;
import dev.readyroom.config.Mode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
    /** The lock file io.zonky's EmbeddedPostgres holds while it runs on a data directory. */
    private static final String LOCK_FILE = "epg-lock";

    private static final Random RANDOM = new Random();

    private final EmbeddedPostgres postgres;
    private final EmbeddedPasswords passwords;

    private EmbeddedDatabase(EmbeddedPostgres postgres, EmbeddedPasswords passwords) {
        this.postgres = postgres;
        this.passwords = passwords;
    }

    /** Starts the embedded PostgreSQL and points the datasource at it, unless a URL is configured. */
    public static Optional<EmbeddedDatabase> startIfNoDatasource() {
        if (URL_SETTINGS.stream().anyMatch(name -> BootSettings.get(name).isPresent())) {
            return Optional.empty();
        }
        boolean cluster = Mode.beforeStart().cluster();
        try {
            Path dataDir = dataDirectory(cluster);
            Files.createDirectories(dataDir);
            stopLeftover(dataDir);
            long started = System.nanoTime();
            EmbeddedDatabase database = start(dataDir, freePort(), cluster);
            LOG.infof("Embedded PostgreSQL on port %d, data in %s (%d ms)", database.port(), dataDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            System.setProperty("quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + database.port() + "/" + EmbeddedAccess.SERVICE_DATABASE);
            System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
            System.setProperty("quarkus.datasource.username", EmbeddedAccess.SERVICE_ROLE);
            System.setProperty("quarkus.datasource.password", database.servicePassword());
            return Optional.of(database);
        } catch (IOException e) {
            throw new UncheckedIOException("The embedded PostgreSQL did not start", e);
        }
    }

    /**
     * io.zonky's defaults are a test database's: it starts PostgreSQL with {@code -F} (no fsync) and
     * {@code synchronous_commit=off}, so a power cut could corrupt the record or lose commits it
     * reported. Here it is the user's durable record: both are set back on ({@code -c} options come
     * after {@code -F}, and the last one wins). One fsync per outbox batch costs next to nothing.
     * Access is {@link EmbeddedAccess}'s: the server first listens with passwords required.
     */
    static EmbeddedDatabase start(Path dataDir, int port, boolean cleanDataDirectory) throws IOException {
        Optional<EmbeddedPasswords> kept = cleanDataDirectory ? Optional.empty() : EmbeddedPasswords.read(dataDir);
        EmbeddedPasswords passwords = kept.orElseGet(EmbeddedPasswords::generate);
        EmbeddedBinaries binaries = EmbeddedBinaries.unpackedPrivately();
        Optional<Path> socketDirectory = EmbeddedAccess.socketDirectory(dataDir, port);
        // io.zonky runs initdb (when the directory has none) before this and starts the server after it.
        Consumer<File> secure = directory -> {
            try {
                EmbeddedAccess.secure(directory.toPath(), passwords, kept.isEmpty(), binaries.postgres(),
                        socketDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setPort(port)
                    .setCleanDataDirectory(cleanDataDirectory).setRegisterShutdownHook(false)
                    .setPgBinaryResolver(binaries).setOverrideWorkingDirectory(binaries.workingDirectory().toFile())
                    .setDataDirectoryCustomizer(secure)
                    // io.zonky waits for the server by logging in as the superuser.
                    .setConnectConfig("password", passwords.superuser())
                    .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    // Reached over loopback only: never from another machine.
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("unix_socket_directories", socketDirectory.map(Path::toString).orElse(""))
                    .setServerConfig("unix_socket_permissions", "0700")
                    .setPGStartupWait(Duration.ofSeconds(30)).start();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        binaries.keepPrivate();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, passwords);
        try {
            EmbeddedAccess.grantService(postgres, passwords);
        } catch (SQLException e) {
            database.close();
            throw new IOException("The embedded PostgreSQL's service role could not be set up", e);
        }
        return database;
    }

    int port() {
        return postgres.getPort();
    }

    /** The service's database, to be used as {@link EmbeddedAccess#SERVICE_ROLE}. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + EmbeddedAccess.SERVICE_DATABASE;
    }

    String servicePassword() {
        return passwords.service();
    }

    /**
     * A free port below the ephemeral range: a launcher that reserved the HTTP port by binding to
     * port 0 would otherwise often see that very port handed to PostgreSQL first.
     */
    static int freePort() throws IOException {
        String http = BootSettings.get("quarkus.http.port").orElse("8080");
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20_000 + RANDOM.nextInt(10_000);
            if (String.valueOf(candidate).equals(http)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                LOG.debugf("Port %d is taken", candidate);
            }
        }
        throw new IOException("No free port for the embedded PostgreSQL");
    }

    private static Path dataDirectory(boolean cluster) throws IOException {
        if (!cluster) {
            return Path.of(BootSettings.get(DATA_DIR).orElse(System.getProperty("user.home") + "/.ready-room/postgres"))
                    .toAbsolutePath();
        }
        Path temporary = Files.createTempDirectory("ready-room-node-postgres");
        // Nodes must share one record; a record of its own keeps a node starting, and it says so.
        LOG.warnf("Cluster mode without a datasource URL: this node keeps a temporary record of its own in %s."
                + " Set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL to a PostgreSQL every node"
                + " shares.", temporary);
        return temporary;
    }

    /**
     * A PostgreSQL left running by a service that was killed holds the data directory: stop it
     * first. The embedded database's lock file tells it from one a running service still owns.
     */
    static void stopLeftover(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel lockFile = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IOException("Another running Ready Room uses " + dataDir
                        + "; give each service its own " + DATA_DIR);
            }
            stopProcessOf(pidFile, dataDir);
        }
    }

    /**
     * Stops the process {@code postmaster.pid} names only when it is provably this data directory's
     * PostgreSQL: its command line names the directory and it started when the file says. A pid
     * that is gone is left to PostgreSQL, which takes over a stale file itself; a pid that is now
     * another process (reused after a reboot, or a decoy) is never signalled, and the start stops
     * with what to check.
     */
    private static void stopProcessOf(Path pidFile, Path dataDir) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        long pid;
        long startedEpochSecond;
        try {
            pid = Long.parseLong(lines.get(0).strip());
            startedEpochSecond = Long.parseLong(lines.get(2).strip());
        } catch (RuntimeException unreadable) {
            LOG.debugf("Unreadable %s", pidFile);
            return;
        }
        Optional<ProcessHandle> named = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (named.isEmpty()) {
            return;
        }
        ProcessHandle.Info info = named.get().info();
        boolean namesThisDirectory = info.commandLine().map(line -> line.contains(dataDir.toString())).orElse(false);
        boolean startedThen = info.startInstant()
                .map(started -> Math.abs(started.getEpochSecond() - startedEpochSecond) <= 2).orElse(false);
        if (!namesThisDirectory || !startedThen) {
            throw new IOException(pidFile + " names process " + pid + ", which is not this data directory's"
                    + " PostgreSQL; it was left as it is. If no PostgreSQL runs on " + dataDir + ", delete "
                    + pidFile + " and start again.");
        }
        LOG.warnf("Stopping the embedded PostgreSQL left running by an earlier start (pid %d)", pid);
        named.get().destroy();
        try {
            named.get().onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("An earlier embedded PostgreSQL holds " + dataDir + " and did not stop", e);
        }
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

package dev.readyroom.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL is the user's durable record in standalone mode, not a test database:
 * it syncs its commits, and only the service, with the password its data directory keeps, gets in.
 */
class EmbeddedDatabaseTest {
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable database : started) {
            database.close();
        }
        for (Path directory : directories) {
            if (Files.exists(directory)) {
                try (var files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void theEmbeddedRecordSyncsEveryCommitToDiskAndListensOnLoopbackOnly() throws Exception {
        EmbeddedDatabase database = start(dataDirectory("readyroom-embedded-test"));
        try (Connection connection = asService(database); Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "fsync")).isEqualTo("on");
            assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(statement, "full_page_writes")).isEqualTo("on");
            assertThat(setting(statement, "listen_addresses")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aConnectionOverTcpWithoutItsPasswordIsRefused() throws Exception {
        Path dataDir = dataDirectory("readyroom-no-password");
        EmbeddedDatabase database = start(dataDir);

        for (String user : List.of(EmbeddedAccess.SUPERUSER, EmbeddedAccess.SERVICE_ROLE)) {
            assertThatThrownBy(() -> connect(database.port(), user, "")).as(user + " without a password")
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(database.port(), user, "not-the-password")).as(user + ", wrong password")
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("28P01");
        }
        try (Connection connection = asSuperuser(database, dataDir); Statement statement = connection.createStatement();
                ResultSet rules = statement.executeQuery("select distinct auth_method from pg_hba_file_rules")) {
            List<String> methods = new ArrayList<>();
            while (rules.next()) {
                methods.add(rules.getString(1));
            }
            assertThat(methods).containsExactly("scram-sha-256");
            assertThat(setting(statement, "password_encryption")).isEqualTo("scram-sha-256");
        }
    }

    @Test
    void theServiceRoleOwnsItsDatabaseAndIsNoSuperuser() throws Exception {
        Path dataDir = dataDirectory("readyroom-service-role");
        EmbeddedDatabase database = start(dataDir);

        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedAccess.SERVICE_ROLE,
                passwordFile(dataDir).getProperty(EmbeddedAccess.SERVICE_ROLE));
                Statement statement = connection.createStatement()) {
            try (ResultSet role = statement.executeQuery("select rolsuper, rolcreaterole, rolcreatedb,"
                    + " current_database() from pg_roles where rolname = current_user")) {
                assertThat(role.next()).isTrue();
                assertThat(role.getBoolean(1)).as("superuser").isFalse();
                assertThat(role.getBoolean(2)).as("creates roles").isFalse();
                assertThat(role.getBoolean(3)).as("creates databases").isFalse();
                assertThat(role.getString(4)).isEqualTo(EmbeddedAccess.SERVICE_DATABASE);
            }
            assertThatThrownBy(() -> statement.execute("COPY (select 1) TO PROGRAM 'id'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("external program")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        }
        // The migrations run as the service role: Flyway creates and later alters the record's tables.
        migrate(database.jdbcUrl(), EmbeddedAccess.SERVICE_ROLE, database.servicePassword());
        try (Connection connection = asService(database); Statement statement = connection.createStatement()) {
            statement.execute("alter table room add column altered_by_the_service boolean");
        }
    }

    @Test
    void thePasswordFileIsTheOwnersOnlyAndKeptAcrossRestarts() throws Exception {
        Path dataDir = dataDirectory("readyroom-password-file");
        Path file = dataDir.resolve(EmbeddedPasswords.FILE);
        start(dataDir).close();
        String first = Files.readString(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        EmbeddedDatabase again = start(dataDir);

        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(again.servicePassword()).isEqualTo(passwordFile(dataDir).getProperty(EmbeddedAccess.SERVICE_ROLE))
                .hasSizeGreaterThanOrEqualTo(43);
        try (Connection connection = asService(again)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void theSocketIsInADirectoryOnlyTheServiceUserCanEnter() throws Exception {
        Path dataDir = dataDirectory("readyroom-socket");
        EmbeddedDatabase database = start(dataDir);

        try (Connection connection = asSuperuser(database, dataDir);
                Statement statement = connection.createStatement()) {
            Path socketDir = Path.of(setting(statement, "unix_socket_directories"));
            assertThat(socketDir).isEqualTo(dataDir.resolve("socket"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir))).isEqualTo("rwx------");
            assertThat(socketDir.resolve(".s.PGSQL." + database.port())).exists();
        }
    }

    @Test
    void aDataDirectoryTooDeepForASocketPathIsReachedOverTcpOnly() throws Exception {
        Path dataDir = dataDirectory("readyroom-deep");
        Path deep = Files.createDirectories(dataDir.resolve("d".repeat(60)).resolve("postgres"));
        EmbeddedDatabase database = start(deep);

        try (Connection connection = asSuperuser(database, deep); Statement statement = connection.createStatement()) {
            assertThat(setting(statement, "unix_socket_directories")).isEmpty();
        }
        assertThat(deep.resolve("socket")).doesNotExist();
    }

    @Test
    void theServerRunsFromBinariesNoOtherUserCanWrite() throws Exception {
        Path dataDir = dataDirectory("readyroom-binaries");
        start(dataDir);

        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        Path executable = Path.of(ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow());
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"),
                "ready-room-postgres-" + System.getProperty("user.name"));
        assertThat(executable).startsWith(binaries);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries))).isEqualTo("rwx------");
    }

    /** Planted in the temporary directory before the service's first start: a link, or another user's directory. */
    @Test
    void aBinariesDirectoryPlantedByAnotherIsNeverUsed() throws Exception {
        String name = "ready-room-postgres-" + System.getProperty("user.name");
        Path linked = dataDirectory("readyroom-planted-link");
        Files.createSymbolicLink(linked.resolve(name), Files.createDirectory(linked.resolve("elsewhere")));
        assertThatThrownBy(() -> binariesUnder(linked)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a directory of user");

        if (System.getProperty("user.name").equals("root")) {
            Path squatted = dataDirectory("readyroom-planted-dir");
            Files.setOwner(Files.createDirectory(squatted.resolve(name)),
                    squatted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            assertThatThrownBy(() -> binariesUnder(squatted)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is not a directory of user");
        }
    }

    /**
     * A data directory made by a Ready Room that trusted every local user, with its record in the
     * database {@code postgres}: the next start sets passwords, drops trust and keeps the record,
     * now in the service's own database.
     */
    @Test
    void aRecordKeptUnderTrustIsSecuredInPlaceAndKept() throws Exception {
        Path dataDir = dataDirectory("readyroom-upgrade");
        int port = EmbeddedDatabase.freePort();
        try (EmbeddedPostgres older = EmbeddedPostgres.builder().setDataDirectory(dataDir).setPort(port)
                .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1").start()) {
            flyway().dataSource(older.getPostgresDatabase()).load().migrate();
            try (Connection connection = older.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("insert into room values ('r-kept', 'Kept', 'fibonacci', 'Fibonacci', '1,2,3',"
                        + " false, 'hash', 0, 0, null, null, 7, now(), now())");
            }
            try (Connection trusted = connect(port, EmbeddedAccess.SUPERUSER, "")) {
                assertThat(trusted.isValid(5)).as("the older directory trusts").isTrue();
            }
        }

        EmbeddedDatabase upgraded = start(dataDir, port);

        try (Connection connection = asService(upgraded); Statement statement = connection.createStatement();
                ResultSet room = statement.executeQuery("select name, version from room where id = 'r-kept'")) {
            assertThat(room.next()).isTrue();
            assertThat(room.getString(1)).isEqualTo("Kept");
            assertThat(room.getLong(2)).isEqualTo(7);
        }
        assertThatThrownBy(() -> connect(port, EmbeddedAccess.SUPERUSER, "")).isInstanceOf(SQLException.class);
        assertThat(Files.readString(dataDir.resolve("pg_hba.conf"))).doesNotContain("trust");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve(EmbeddedPasswords.FILE)))).isEqualTo("rw-------");
        migrate(upgraded.jdbcUrl(), EmbeddedAccess.SERVICE_ROLE, upgraded.servicePassword());
        try (Connection connection = asService(upgraded); Statement statement = connection.createStatement()) {
            statement.execute("alter table room add column altered_by_the_service boolean");
        }
        try (Connection connection = asSuperuser(upgraded, dataDir); Statement statement = connection.createStatement();
                ResultSet old = statement.executeQuery("select to_regclass('public.room')")) {
            assertThat(old.next()).isTrue();
            assertThat(old.getString(1)).as("the copy left in the database postgres").isNull();
        }
        upgraded.close();
        started.remove(upgraded);

        EmbeddedDatabase restarted = start(dataDir);
        try (Connection connection = asService(restarted); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("select count(*) from room")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(1);
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

    private static EmbeddedBinaries binariesUnder(Path temporary) throws IOException {
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", temporary.toString());
        try {
            return EmbeddedBinaries.unpackedPrivately();
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
    }

    private Path dataDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        directories.add(directory);
        return directory;
    }

    private EmbeddedDatabase start(Path dataDir) throws IOException {
        return start(dataDir, EmbeddedDatabase.freePort());
    }

    private EmbeddedDatabase start(Path dataDir, int port) throws IOException {
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, port, false);
        started.add(database);
        return database;
    }

    private static Connection asService(EmbeddedDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedAccess.SERVICE_ROLE, database.servicePassword());
    }

    /** The superuser, with the password an administrator finds in the data directory. */
    private static Connection asSuperuser(EmbeddedDatabase database, Path dataDir) throws SQLException, IOException {
        return connect(database.port(), EmbeddedAccess.SUPERUSER,
                passwordFile(dataDir).getProperty(EmbeddedAccess.SUPERUSER));
    }

    private static Connection connect(int port, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
    }

    private static Properties passwordFile(Path dataDir) throws IOException {
        Properties passwords = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve(EmbeddedPasswords.FILE))) {
            passwords.load(reader);
        }
        return passwords;
    }

    private static void migrate(String url, String user, String password) {
        flyway().dataSource(url, user, password).load().migrate();
    }

    /** The service's migrations, as Quarkus runs them at start. */
    private static FluentConfiguration flyway() {
        return Flyway.configure().locations("classpath:db/migration");
    }

    private static String setting(Statement statement, String name) throws SQLException {
        try (ResultSet result = statement.executeQuery("show " + name)) {
            result.next();
            return result.getString(1);
        }
    }
}

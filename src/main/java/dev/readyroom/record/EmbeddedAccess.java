package dev.readyroom.record;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.util.PasswordUtil;

/**
 * Who may use the embedded PostgreSQL: only who holds a password of {@link EmbeddedPasswords}.
 * The server accepts scram-sha-256 and nothing else; the service works as a role that owns its
 * database and nothing more; the superuser's password is set before the server first listens.
 */
final class EmbeddedAccess {
    static final String SUPERUSER = "postgres";
    static final String SERVICE_ROLE = "readyroom";
    static final String SERVICE_DATABASE = "readyroom";
    static final String HBA = """
            # Written by Ready Room at start: every connection needs a password (scram-sha-256).
            local  all  all                 scram-sha-256
            host   all  all  127.0.0.1/32   scram-sha-256
            """;
    /** sizeof(sun_path) less its terminating NUL: PostgreSQL refuses a longer socket path. */
    private static final int SOCKET_PATH_MAX = 107;
    private static final Logger LOG = Logger.getLogger(EmbeddedAccess.class);

    private EmbeddedAccess() {
    }

    /**
     * Run while the server is stopped, after any initdb. A fresh {@code initdb} (io.zonky's trusts
     * every local user) or a data directory of an older Ready Room gets the superuser's password,
     * set in single-user mode, which listens nowhere, and only then the password-only
     * {@code pg_hba.conf}. Each step can be repeated, so an interrupted start finishes it next time.
     */
    static void secure(Path dataDir, EmbeddedPasswords passwords, boolean newPasswords, Path postgresBinary,
            Optional<Path> socketDirectory) throws IOException {
        if (socketDirectory.isPresent()) {
            Files.createDirectories(socketDirectory.get());
            Files.setPosixFilePermissions(socketDirectory.get(), PosixFilePermissions.fromString("rwx------"));
        }
        if (newPasswords) {
            passwords.write(dataDir);
        }
        Path hba = dataDir.resolve("pg_hba.conf");
        if (newPasswords || !HBA.equals(Files.readString(hba))) {
            LOG.info("Setting up password authentication on the embedded PostgreSQL");
            runSingleUser(dataDir, postgresBinary,
                    "ALTER ROLE " + SUPERUSER + " PASSWORD '" + PasswordUtil.encodeScramSha256(
                            passwords.superuser().toCharArray()) + "'");
            Path partial = dataDir.resolve("pg_hba.conf.partial");
            Files.writeString(partial, HBA);
            Files.setPosixFilePermissions(partial, EmbeddedPasswords.OWNER_ONLY);
            Files.move(partial, hba, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * The socket's directory in the data directory ({@link #secure} makes it private to the
     * service's user), or none when the socket's path would be longer than a Unix socket's or need
     * quoting on pg_ctl's command line: then the server is reached over TCP only.
     */
    static Optional<Path> socketDirectory(Path dataDir, int port) {
        Path directory = dataDir.resolve("socket");
        String socket = directory + "/.s.PGSQL." + port;
        if (socket.getBytes(StandardCharsets.UTF_8).length > SOCKET_PATH_MAX
                || !directory.toString().matches("[A-Za-z0-9/._-]+")) {
            return Optional.empty();
        }
        return Optional.of(directory);
    }

    /**
     * Run once the server is up, as the superuser: the service's role (no superuser, no role or
     * database creation) and its database. A record kept by an older Ready Room in the database
     * {@code postgres} is copied into the service's database, given to the role, then removed.
     */
    static void grantService(EmbeddedPostgres postgres, EmbeddedPasswords passwords) throws SQLException {
        boolean moved = false;
        try (Connection connection = postgres.getDatabase(SUPERUSER, SUPERUSER).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + SERVICE_ROLE
                    + "') THEN CREATE ROLE " + SERVICE_ROLE + "; END IF; END $$");
            statement.execute("ALTER ROLE " + SERVICE_ROLE
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            // The client hashes the password: the statement carries only the scram verifier.
            connection.unwrap(PGConnection.class).alterUserPassword(SERVICE_ROLE,
                    passwords.service().toCharArray(), "scram-sha-256");
            boolean olderRecord = holdsRecord(statement);
            if (!exists(statement, "SELECT FROM pg_database WHERE datname = '" + SERVICE_DATABASE + "'")) {
                LOG.infof("Creating the database %s%s", SERVICE_DATABASE,
                        olderRecord ? " from the record in the database " + SUPERUSER : "");
                statement.execute("CREATE DATABASE " + SERVICE_DATABASE + " OWNER " + SERVICE_ROLE
                        + (olderRecord ? " TEMPLATE " + SUPERUSER : ""));
            }
            moved = olderRecord;
        }
        try (Connection connection = postgres.getDatabase(SUPERUSER, SERVICE_DATABASE).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER SCHEMA public OWNER TO " + SERVICE_ROLE);
            // Flyway's later migrations alter these tables: the role must own them. Sequences of
            // identity columns follow their table.
            statement.execute("""
                    DO $$ DECLARE relation regclass; BEGIN
                      FOR relation IN SELECT c.oid FROM pg_class c
                          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                            AND c.relowner <> '%1$s'::regrole
                            AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
                      LOOP
                        EXECUTE format('ALTER TABLE %%s OWNER TO %1$s', relation);
                      END LOOP;
                    END $$""".formatted(SERVICE_ROLE));
            moved = moved && holdsRecord(statement);
        }
        if (moved) {
            try (Connection connection = postgres.getDatabase(SUPERUSER, SUPERUSER).getConnection();
                    Statement statement = connection.createStatement()) {
                LOG.infof("The record now lives in the database %s: removing its old copy from %s",
                        SERVICE_DATABASE, SUPERUSER);
                statement.execute("DROP SCHEMA public CASCADE");
                statement.execute("CREATE SCHEMA public");
            }
        }
    }

    private static boolean holdsRecord(Statement statement) throws SQLException {
        return exists(statement, "SELECT WHERE to_regclass('public.flyway_schema_history') IS NOT NULL");
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            return result.next();
        }
    }

    private static void runSingleUser(Path dataDir, Path postgresBinary, String sql) throws IOException {
        List<String> command = new ArrayList<>();
        // As io.zonky does: PostgreSQL refuses to run as root, and runs as nobody in a user namespace.
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary.toString(), "--single", "-D", dataDir.toString(), "-c",
                "exit_on_error=on", SUPERUSER));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream input = process.getOutputStream()) {
            input.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while setting the superuser's password", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("PostgreSQL in single-user mode failed (" + process.exitValue() + "): " + output);
        }
    }
}

package dev.readyroom.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on a record database of the machine's PostgreSQL (127.0.0.1:5432, trust auth): what the
 * record holds, and the outages tests cause. {@link #test()} is the database of the in-process
 * {@code @QuarkusTest}s; {@link #fresh} makes an empty one that the service processes of an IT or a
 * benchmark share, as a cluster's nodes must.
 */
public final class RecordDatabase {
    public static final String POSTGRES = "127.0.0.1:5432";
    private static final RecordDatabase TEST = new RecordDatabase("test");
    private static final RecordDatabase ADMIN = new RecordDatabase("postgres");

    private final String name;

    private RecordDatabase(String name) {
        this.name = name;
    }

    /** The database of the {@code @QuarkusTest}s (the test profile's datasource). */
    public static RecordDatabase test() {
        return TEST;
    }

    /** Drops {@code name} if it exists and creates it empty: the first node to start migrates it. */
    public static RecordDatabase fresh(String name) {
        ADMIN.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        ADMIN.execute("CREATE DATABASE " + name);
        return new RecordDatabase(name);
    }

    /** The service's options that point its record here. */
    public List<String> serviceOptions() {
        return List.of("-Dquarkus.datasource.reactive.url=postgresql://" + POSTGRES + "/" + name,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + POSTGRES + "/" + name,
                "-Dquarkus.datasource.username=postgres");
    }

    /** The first column of the first row of a query, such as a count. */
    public long count(String sql, Object... parameters) {
        return Long.parseLong(rows(sql, parameters).get(0).get(0));
    }

    /** Every row of a query, each column as text. */
    public List<List<String>> rows(String sql, Object... parameters) {
        try (Connection c = connect(); PreparedStatement statement = bound(c, sql, parameters)) {
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection of the test's own, for holding locks the service runs into. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/" + name, "postgres", "");
    }

    /** Runs one statement on {@code connection}, inside whatever transaction it has open. */
    public static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = bound(connection, sql, parameters)) {
            statement.execute();
        }
    }

    /** Runs one statement on a connection of its own. */
    private void execute(String sql) {
        try (Connection c = connect()) {
            execute(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement bound(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /** PostgreSQL goes away for the service: no new connections, and its open ones are terminated. */
    public void cutOff() {
        ADMIN.execute("alter database " + name + " allow_connections false");
        ADMIN.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "'"
                + " and pid <> pg_backend_pid()");
    }

    public void restore() {
        ADMIN.execute("alter database " + name + " allow_connections true");
    }
}

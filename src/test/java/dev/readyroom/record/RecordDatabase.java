package dev.readyroom.record;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on the test PostgreSQL: what the record holds, and the outage the tests cause. */
public final class RecordDatabase {
    private static final String TEST_DB = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String ADMIN_DB = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private RecordDatabase() {
    }

    public static long count(String sql, Object... parameters) {
        return Long.parseLong(rows(sql, parameters).get(0).get(0));
    }

    public static List<List<String>> rows(String sql, Object... parameters) {
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

    /** A connection of the test's own to the test database, for holding locks the service runs into. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(TEST_DB, "postgres", "");
    }

    /** Runs one statement on {@code connection}, inside whatever transaction it has open. */
    public static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = bound(connection, sql, parameters)) {
            statement.execute();
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
    public static void cutOff() {
        admin("alter database test allow_connections false");
        admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'test'"
                + " and pid <> pg_backend_pid()");
    }

    public static void restore() {
        admin("alter database test allow_connections true");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_DB, "postgres", "");
                PreparedStatement statement = c.prepareStatement(sql)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.readyroom.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A record database on the machine's PostgreSQL (127.0.0.1:5432, trust auth) that every service
 * process of a test or a benchmark shares, as a cluster's nodes must: created empty, so a run never
 * sees another's rows.
 */
public final class SharedRecord {
    public static final String POSTGRES = "127.0.0.1:5432";
    private final String database;

    private SharedRecord(String database) {
        this.database = database;
    }

    /** Drops {@code database} if it exists and creates it empty; the first node migrates it. */
    public static SharedRecord fresh(String database) throws SQLException {
        try (Connection postgres = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/postgres",
                "postgres", "");
                Statement statement = postgres.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
        return new SharedRecord(database);
    }

    /** The service's options that point its record here. */
    public List<String> serviceOptions() {
        return List.of("-Dquarkus.datasource.reactive.url=postgresql://" + POSTGRES + "/" + database,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + POSTGRES + "/" + database,
                "-Dquarkus.datasource.username=postgres");
    }

    /** The first column of the first row of a query, such as a count. */
    public long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/" + database,
                "postgres", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}

package io.backflow.load.postgres;

import io.backflow.config.PostgresConfig;
import io.backflow.config.Secret;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a sync writes: the connection settings and the table, in a serializable form (the config record
 * holds {@code Optional}s, which Java serialization cannot ship to executors). Opens connections.
 * Immutable and thread-safe; {@link #toString} never contains the password.
 */
final class PostgresTarget implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Defaults for settings the URL does not set (URL parameters win). Without a socket timeout a
     * server that stops answering would hang the Spark task forever; ten minutes is far longer than a
     * healthy batch transaction takes.
     */
    private static final String DEFAULT_SOCKET_TIMEOUT_SECONDS = "600";

    private final String url;
    private final String user;
    private final Secret password; // null when none
    private final String schema; // null for the search path
    private final String table;

    PostgresTarget(PostgresConfig config) {
        this.url = config.url();
        this.user = config.user();
        this.password = config.password().orElse(null);
        this.schema = config.schema().orElse(null);
        this.table = config.table();
    }

    /**
     * Opens a connection with autocommit on. The driver is called directly, not through
     * {@code DriverManager}, which cannot see drivers in a Spark job jar loaded by a child class loader.
     */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password.value());
        }
        properties.setProperty("ApplicationName", "backflow");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", DEFAULT_SOCKET_TIMEOUT_SECONDS);
        Connection connection = new org.postgresql.Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("Not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + maskedUrl(),
                    "08001");
        }
        return connection;
    }

    /** The table as SQL: quoted, schema-qualified when a schema is configured. */
    String quotedTable() {
        return SqlIdentifiers.qualified(schema(), table);
    }

    /** The table as the user wrote it, for messages: {@code schema.table}. */
    String displayName() {
        return schema == null ? table : schema + "." + table;
    }

    Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    String table() {
        return table;
    }

    String user() {
        return user;
    }

    String maskedUrl() {
        return PostgresConfig.maskUrl(url);
    }

    /** "database 'app' on db.internal:5432", from the URL as the driver parses it. */
    String describeServer() {
        Properties parsed = org.postgresql.Driver.parseURL(url, null);
        if (parsed == null) {
            return "the database at " + maskedUrl();
        }
        return "database '" + parsed.getProperty("PGDBNAME", "") + "' on " + parsed.getProperty("PGHOST", "")
                + ":" + parsed.getProperty("PGPORT", "");
    }

    @Override
    public String toString() {
        return "postgres table " + displayName() + " at " + maskedUrl();
    }
}

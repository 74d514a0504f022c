package io.backflow.config;

import java.util.Optional;

/**
 * A PostgreSQL table written through COPY into a staging table and one upsert/delete transaction per batch.
 *
 * @param url a {@code jdbc:postgresql://} URL
 * @param user the database user
 * @param password the user's password; empty for trust or other authentication
 * @param schema the table's schema; empty for the connection's search path
 * @param table the table name, unquoted (it is quoted when used)
 * @param batchSize changes per staging COPY and transaction
 * @param createTable whether to create the table (typed from the model, key as primary key) if missing
 */
public record PostgresConfig(
        String url,
        String user,
        Optional<Secret> password,
        Optional<String> schema,
        String table,
        int batchSize,
        boolean createTable) implements DestinationConfig {

    public static final int DEFAULT_BATCH_SIZE = 5000;

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public boolean canDelete() {
        return true;
    }

    /** A JDBC URL with any {@code password=} parameter masked, for messages and logs. */
    public static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1" + Secret.MASK);
    }

    @Override
    public String toString() {
        return "PostgresConfig[url=" + maskUrl(url) + ", user=" + user + ", password="
                + password.map(Secret::toString).orElse("(none)") + ", table=" + displayName()
                + ", batchSize=" + batchSize + ", createTable=" + createTable + "]";
    }

    /** The table as the user wrote it, for messages: {@code schema.table}. */
    public String displayName() {
        return schema.map(s -> s + "." + table).orElse(table);
    }
}

package io.backflow.bench;

import org.postgresql.PGConnection;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The benchmark's PostgreSQL side: the destination table in its previous state, the load baseline, the
 * check that a load left the table equal to the model, and the undo that puts the previous state back
 * between passes. Every statement but the baseline's load is untimed bookkeeping.
 */
final class BenchPostgres {

    static final String TABLE = "bench_target";
    private static final String EXPECTED = "bench_expected";
    private static final String PREVIOUS_OF_CHANGED = "bench_previous_of_changed";
    private static final String STAGE = "bench_copy_stage";

    private final String url;
    private final String user;
    private final String key;
    private final List<String> columns;
    private final List<String> definitions;

    /**
     * @param keyType the key's column type
     * @param columns value column names, typed as {@link BenchData} generates them
     */
    BenchPostgres(String url, String user, BenchOptions.KeyType keyType, List<String> columns) {
        this.url = url;
        this.user = user;
        this.key = BenchData.KEY;
        this.columns = columns;
        this.definitions = new ArrayList<>();
        definitions.add(key + (keyType == BenchOptions.KeyType.LONG ? " bigint" : " text"));
        for (int i = 0; i < columns.size(); i++) {
            definitions.add(columns.get(i) + " " + switch (i % 4) {
                case 0 -> "bigint";
                case 1 -> "text";
                case 2 -> "numeric(12,2)";
                default -> "timestamptz";
            });
        }
    }

    /**
     * Creates the destination table holding the previous state (the primary key is added after the COPY,
     * as a bulk load does), and the tables the check and the undo read.
     */
    void setUp(Path previous, Path changes, Path previousOfChanged) throws SQLException, IOException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE + ", " + EXPECTED + ", " + PREVIOUS_OF_CHANGED);
            statement.execute("CREATE TABLE " + TABLE + " (" + String.join(", ", definitions) + ")");
            copyIn(connection, TABLE, previous);
            statement.execute("ALTER TABLE " + TABLE + " ADD PRIMARY KEY (" + key + ")");
            statement.execute("CREATE UNLOGGED TABLE " + EXPECTED + " (op text, " + String.join(", ", definitions)
                    + ")");
            copyIn(connection, EXPECTED, changes);
            statement.execute("CREATE INDEX ON " + EXPECTED + " (" + key + ")");
            statement.execute("CREATE UNLOGGED TABLE " + PREVIOUS_OF_CHANGED + " (" + String.join(", ", definitions)
                    + ")");
            copyIn(connection, PREVIOUS_OF_CHANGED, previousOfChanged);
            statement.execute("VACUUM ANALYZE " + TABLE);
            statement.execute("ANALYZE " + EXPECTED);
            statement.execute("ANALYZE " + PREVIOUS_OF_CHANGED);
        }
    }

    /**
     * The baseline load, timed by the caller: one COPY of every change into an unlogged staging table, then
     * one {@code DELETE … USING} and one {@code INSERT … ON CONFLICT DO UPDATE}, in one transaction.
     */
    void copyLoad(Path changes) throws SQLException, IOException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("CREATE UNLOGGED TABLE " + STAGE + " (op text, " + String.join(", ", definitions) + ")");
            copyIn(connection, STAGE, changes);
            statement.execute("DELETE FROM " + TABLE + " AS t USING " + STAGE + " AS s WHERE t." + key + " = s." + key
                    + " AND s.op = 'DELETE'");
            String assignments = columns.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            statement.execute("INSERT INTO " + TABLE + " (" + key + ", " + String.join(", ", columns) + ") SELECT "
                    + key + ", " + String.join(", ", columns) + " FROM " + STAGE + " WHERE op <> 'DELETE' ON CONFLICT ("
                    + key + ") DO UPDATE SET " + assignments);
            statement.execute("DROP TABLE " + STAGE);
            connection.commit();
        }
    }

    /**
     * Rows that make the table differ from the model: changed keys whose row is missing, different, or
     * still there after a delete, plus the difference between the table's and the model's row counts.
     */
    long differences(long modelRows) throws SQLException {
        String columnsOf = columns.stream().map(c -> "%1$s." + c).collect(Collectors.joining(", "));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            long wrong = single(statement, "SELECT count(*) FROM " + EXPECTED + " AS e LEFT JOIN " + TABLE
                    + " AS t ON t." + key + " = e." + key + " WHERE CASE WHEN e.op = 'DELETE' THEN t." + key
                    + " IS NOT NULL ELSE t." + key + " IS NULL OR (" + columnsOf.formatted("t") + ") IS DISTINCT FROM ("
                    + columnsOf.formatted("e") + ") END");
            long rows = single(statement, "SELECT count(*) FROM " + TABLE);
            return wrong + Math.abs(rows - modelRows);
        }
    }

    /** Puts the previous state back: changed keys removed, their previous rows inserted; then vacuums. */
    void restore() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("DELETE FROM " + TABLE + " AS t USING " + EXPECTED + " AS e WHERE t." + key + " = e."
                    + key);
            statement.execute("INSERT INTO " + TABLE + " SELECT * FROM " + PREVIOUS_OF_CHANGED);
            connection.commit();
            connection.setAutoCommit(true);
            // Each pass should meet the same table, not one full of the previous pass's dead rows.
            statement.execute("VACUUM ANALYZE " + TABLE);
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, "");
        try (Statement statement = connection.createStatement()) {
            // The CSV files hold timestamps in UTC without an offset.
            statement.execute("SET TimeZone = 'UTC'");
        }
        return connection;
    }

    private static void copyIn(Connection connection, String table, Path csv) throws SQLException, IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 20)) {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv)", in);
        }
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

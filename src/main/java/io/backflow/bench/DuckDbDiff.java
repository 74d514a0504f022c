package io.backflow.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The diff baseline: DuckDB, in this JVM, with as many threads as Spark has cores, running one full
 * outer join on the key over the same Parquet model. Its snapshot has Backflow's representation (key,
 * values, a 64-bit row hash) in Parquet, hashed with DuckDB's own {@code hash}; like Backflow's diff it
 * reads only key and hash from it, hashes each model row once and writes the changes to Parquet.
 *
 * <p>It also exports, untimed, what the PostgreSQL side needs as CSV: the previous state, the changes,
 * and the previous rows of changed keys.
 */
final class DuckDbDiff implements AutoCloseable {

    private final Connection connection;
    private final Path directory;
    private final List<String> columns;
    private final String modelGlob;
    private final String previousGlob;

    /**
     * @param directory where DuckDB's snapshot, changes and exports go
     * @param threads DuckDB's threads: Spark's cores, so both engines have the same CPUs
     */
    DuckDbDiff(Path directory, int threads, Path model, Path previous, List<String> columns) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
        this.directory = directory;
        this.columns = columns;
        this.modelGlob = literal(model.resolve("*.parquet"));
        this.previousGlob = literal(previous.resolve("*.parquet"));
        execute("SET threads = " + threads);
        // Bounded like the JVM's heap, spilling to the work directory beyond it.
        execute("SET memory_limit = '8GB'");
        execute("SET temp_directory = " + literal(directory.resolve("duckdb-tmp")));
        // Row order does not matter to a diff; keeping it would only slow DuckDB down.
        execute("SET preserve_insertion_order = false");
        execute("SET TimeZone = 'UTC'");
    }

    /** Writes DuckDB's snapshot of the previous state: every column plus DuckDB's row hash. */
    void writeSnapshot() throws SQLException {
        execute("COPY (SELECT *, " + hash() + " AS row_hash FROM read_parquet(" + previousGlob + ")) TO "
                + literal(snapshot()) + " (FORMAT parquet)");
    }

    /** One timed diff: full outer join of the hashed model with the snapshot's key and hash, written out. */
    BenchData.ChangeCounts diff() throws SQLException {
        String key = BenchData.KEY;
        String modelColumns = columns.stream().map(c -> "m." + c).collect(Collectors.joining(", "));
        execute("COPY (SELECT CASE WHEN s." + key + " IS NULL THEN 'INSERT' WHEN m." + key
                + " IS NULL THEN 'DELETE' ELSE 'UPDATE' END AS op, coalesce(m." + key + ", s." + key + ") AS " + key
                + ", " + modelColumns + ", m.row_hash"
                + " FROM (SELECT *, " + hash() + " AS row_hash FROM read_parquet(" + modelGlob + ")) AS m"
                + " FULL OUTER JOIN (SELECT " + key + ", row_hash FROM read_parquet(" + literal(snapshot()) + ")) AS s"
                + " ON m." + key + " = s." + key
                + " WHERE s." + key + " IS NULL OR m." + key + " IS NULL OR m.row_hash <> s.row_hash) TO "
                + literal(changes()) + " (FORMAT parquet)");
        long inserts = 0;
        long updates = 0;
        long deletes = 0;
        try (Statement statement = connection.createStatement();
             ResultSet counts = statement.executeQuery("SELECT op, count(*) FROM read_parquet("
                     + literal(changes()) + ") GROUP BY op")) {
            while (counts.next()) {
                switch (counts.getString(1)) {
                    case "INSERT" -> inserts = counts.getLong(2);
                    case "UPDATE" -> updates = counts.getLong(2);
                    default -> deletes = counts.getLong(2);
                }
            }
        }
        return new BenchData.ChangeCounts(inserts, updates, deletes);
    }

    /** The previous state as CSV (key, values), to fill the PostgreSQL table. */
    Path exportPrevious() throws SQLException {
        Path csv = directory.resolve("previous.csv");
        execute("COPY (SELECT " + BenchData.KEY + ", " + String.join(", ", columns) + " FROM read_parquet("
                + previousGlob + ")) TO " + literal(csv) + " (FORMAT csv, HEADER false)");
        return csv;
    }

    /** The last diff's changes as CSV (op, key, values), for the COPY baseline and the destination check. */
    Path exportChanges() throws SQLException {
        Path csv = directory.resolve("changes.csv");
        execute("COPY (SELECT op, " + BenchData.KEY + ", " + String.join(", ", columns) + " FROM read_parquet("
                + literal(changes()) + ")) TO " + literal(csv) + " (FORMAT csv, HEADER false)");
        return csv;
    }

    /** The previous rows of the keys the last diff updates or deletes, as CSV: what undoes a load. */
    Path exportPreviousOfChanged() throws SQLException {
        Path csv = directory.resolve("previous-of-changed.csv");
        execute("COPY (SELECT p." + BenchData.KEY + ", " + columns.stream().map(c -> "p." + c)
                .collect(Collectors.joining(", ")) + " FROM read_parquet(" + previousGlob + ") AS p JOIN read_parquet("
                + literal(changes()) + ") AS c ON p." + BenchData.KEY + " = c." + BenchData.KEY
                + " WHERE c.op <> 'INSERT') TO " + literal(csv) + " (FORMAT csv, HEADER false)");
        return csv;
    }

    private String hash() {
        return "hash(" + String.join(", ", columns) + ")";
    }

    private Path snapshot() {
        return directory.resolve("snapshot.parquet");
    }

    private Path changes() {
        return directory.resolve("changes.parquet");
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String literal(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}

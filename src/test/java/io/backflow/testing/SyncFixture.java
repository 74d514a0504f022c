package io.backflow.testing;

import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.load.Destination;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.local.LocalPostgres;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real sync setup for end-to-end tests: a Spark session, an embedded PostgreSQL, models written as
 * Parquet, configs written as YAML exactly as a user would, and helpers to read back the destination
 * and the snapshot.
 */
public final class SyncFixture implements AutoCloseable {

    public final SparkSession spark;
    public final LocalPostgres postgres;
    private final Path directory;

    public SyncFixture(Path directory) {
        this.directory = directory;
        this.postgres = LocalPostgres.start();
        this.spark = TestSpark.start();
    }

    /** Writes the model for sync {@code name} as Parquet (replacing the previous version). */
    public void writeModel(String name, StructType schema, List<Row> rows) {
        spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(modelPath(name));
    }

    public String modelPath(String name) {
        return directory.resolve("models").resolve(name).toString();
    }

    public String statePath() {
        return directory.resolve("state").toString();
    }

    /**
     * A config for sync {@code name} reading its Parquet model into table {@code table}; {@code extra}
     * lines are appended at top level (they may override nothing already set).
     */
    public SyncConfig config(String name, String key, String mode, String table, String... extra) {
        return parse(yaml(name, key, mode, table, extra));
    }

    /** The YAML text {@link #config} parses, for tests that edit it first. */
    public String yaml(String name, String key, String mode, String table, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "source: {type: table, format: parquet, path: '" + modelPath(name) + "'}",
                "key: " + key,
                "mode: " + mode,
                "state_path: '" + statePath() + "'",
                "writers: 2",
                "retry: {max_attempts: 3, initial_backoff_ms: 10, max_backoff_ms: 50}",
                "destination:",
                "  type: postgres",
                "  url: '" + postgres.jdbcUrl() + "'",
                "  user: " + postgres.user(),
                "  table: '" + table.replace("'", "''") + "'",
                "  batch_size: 50",
                "  create_table: true"));
        lines.addAll(List.of(extra));
        return String.join("\n", lines);
    }

    /** Parses a test config; {@code ${env:TEST_DB_PASSWORD}} resolves to a password tests check is hidden. */
    public SyncConfig parse(String yaml) {
        return new ConfigLoader(Map.of("TEST_DB_PASSWORD", "hunter2-never-print-me")).parse(yaml, "test config");
    }

    public RunSummary run(SyncConfig config) {
        return run(config, Destinations.create(config.destination()), RunOptions.defaults());
    }

    public RunSummary run(SyncConfig config, Destination destination, RunOptions options) {
        return new SyncRun(spark, config, destination, Sleeper.SYSTEM).run(options);
    }

    public SnapshotStore snapshot(SyncConfig config) {
        return new SnapshotStore(spark, new StateLayout(config.syncStatePath()));
    }

    public Dataset<Row> failures(SyncConfig config, String runId) {
        return spark.read().format("delta").load(new StateLayout(config.syncStatePath()).failures())
                .where(io.backflow.diff.Columns.quoted(io.backflow.diff.Columns.RUN_ID) + " = '" + runId + "'");
    }

    /** Runs SQL on the destination database. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    /** Every row of a query, each as a list of JDBC objects, in the query's order. */
    public List<List<Object>> query(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    public long count(String table) {
        return ((Number) query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
    }

    /** The destination table read by Spark over JDBC, to compare with the model value for value. */
    public Dataset<Row> destination(String quotedTable) {
        return spark.read().format("jdbc").option("url", postgres.jdbcUrl()).option("user", postgres.user())
                .option("dbtable", quotedTable).load();
    }

    /** Rows in one but not the other, over the model's columns; 0 means equal. */
    public long differences(String name, String quotedTable) {
        Dataset<Row> model = spark.read().parquet(modelPath(name));
        Dataset<Row> table = destination(quotedTable).selectExpr(quote(model.columns()));
        Dataset<Row> aligned = model.selectExpr(quote(model.columns()));
        return aligned.exceptAll(table).count() + table.exceptAll(aligned).count();
    }

    private static String[] quote(String[] columns) {
        return java.util.Arrays.stream(columns).map(io.backflow.diff.Columns::quoted).toArray(String[]::new);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
    }

    @Override
    public void close() {
        spark.stop();
        postgres.close();
    }
}

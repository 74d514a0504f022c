package io.backflow.testing;

import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import io.backflow.run.SyncValidation;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end setup for API and file destinations: a Spark session (no database), contact models written as
 * Parquet, configs written as YAML a user would write, runs through the real {@link SyncRun}.
 */
public final class ApiSyncFixture implements AutoCloseable {

    public static final String TOKEN = "test-token-never-print-me";
    /** A contact: id, email, score. */
    public static final StructType CONTACTS = new StructType()
            .add("contact_id", DataTypes.LongType, false)
            .add("email", DataTypes.StringType, true)
            .add("score", DataTypes.IntegerType, true);

    public final SparkSession spark;
    private final Path directory;

    public ApiSyncFixture(Path directory, int cores) {
        this.directory = directory;
        this.spark = TestSpark.start(cores);
    }

    /** Contacts {@code from..to} with email {@code c<id>@example.com} and score {@code id % 100 + bump}. */
    public static List<Row> contacts(long from, long to, int bump) {
        List<Row> rows = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            rows.add(RowFactory.create(id, "c" + id + "@example.com", (int) (id % 100) + bump));
        }
        return rows;
    }

    /** The model as the API should hold it: id text → email and score as text. */
    public static Map<String, List<String>> expected(List<Row> rows) {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        rows.forEach(row -> expected.put(String.valueOf(row.getLong(0)),
                List.of(String.valueOf(row.get(1)), String.valueOf(row.get(2)))));
        return expected;
    }

    public void writeModel(String name, List<Row> rows) {
        spark.createDataFrame(rows, CONTACTS).coalesce(1).write().mode("overwrite").parquet(modelPath(name));
    }

    public String modelPath(String name) {
        return directory.resolve("models").resolve(name).toString();
    }

    public Path directory() {
        return directory;
    }

    /** A config for sync {@code name} over its contact model; {@code top} and {@code destination} are YAML lines. */
    public SyncConfig config(String name, String mode, List<String> top, List<String> destination) {
        List<String> lines = new ArrayList<>(List.of(
                "name: " + name,
                "source: {type: table, format: parquet, path: '" + modelPath(name) + "'}",
                "key: [contact_id]",
                "mode: " + mode,
                "state_path: '" + directory.resolve("state") + "'",
                "retry: {max_attempts: 8, initial_backoff_ms: 10, max_backoff_ms: 200}"));
        lines.addAll(top);
        lines.add("destination:");
        destination.forEach(line -> lines.add("  " + line));
        return new ConfigLoader(Map.of("API_TOKEN", TOKEN)).parse(String.join("\n", lines), "test config " + name);
    }

    public RunSummary run(SyncConfig config) {
        return new SyncRun(spark, config, Destinations.create(config.destination()), Sleeper.SYSTEM)
                .run(RunOptions.defaults());
    }

    public RunSummary plan(SyncConfig config) {
        return new SyncRun(spark, config, Destinations.create(config.destination()), Sleeper.SYSTEM).plan();
    }

    /** The lines of the checks {@code validate} passed; throws the first failed check's error, if any. */
    public List<String> validate(SyncConfig config) {
        List<SyncValidation.Check> checks = new SyncValidation(spark, config, Destinations.create(config.destination()))
                .validate();
        checks.stream().filter(check -> !check.passed()).findFirst().ifPresent(check -> {
            throw check.failure().orElseThrow();
        });
        return checks.stream().map(SyncValidation.Check::line).toList();
    }

    public Dataset<Row> failures(SyncConfig config, String runId) {
        return spark.read().format("delta").load(new StateLayout(config.syncStatePath()).failures())
                .where(io.backflow.diff.Columns.quoted(io.backflow.diff.Columns.RUN_ID) + " = '" + runId + "'");
    }

    @Override
    public void close() {
        spark.stop();
    }
}

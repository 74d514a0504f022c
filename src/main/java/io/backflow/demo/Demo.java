package io.backflow.demo;

import io.backflow.cli.SparkSessions;
import io.backflow.config.ConfigLoader;
import io.backflow.config.PostgresConfig;
import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.local.LocalPostgres;
import io.backflow.run.RunOptions;
import io.backflow.run.RunSummary;
import io.backflow.run.SyncRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code demo}: a real sync end to end on this machine. Generates a customer model, starts an embedded
 * PostgreSQL, syncs everything, changes the model, syncs again (only the changes are sent), and checks
 * that the destination table equals the model.
 */
public final class Demo {

    private final PrintStream out;

    public Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo; returns 0 if both runs succeeded and the destination equals the model. */
    public int run(long rows) {
        Path work = createWorkDirectory();
        out.println("Backflow demo: " + rows + " customers, working in " + work);
        try (LocalPostgres postgres = LocalPostgres.start()) {
            out.println("Embedded PostgreSQL at " + postgres.jdbcUrl());
            SparkSession spark = SparkSessions.getOrCreate("backflow demo");
            Path modelPath = work.resolve("model");
            Path configPath = writeConfig(work, modelPath, postgres);
            SyncConfig config = new ConfigLoader(Map.of()).load(configPath);
            out.println("Sync config: " + configPath);

            DemoModel.version(spark, rows, 1).write().mode("overwrite").parquet(modelPath.toString());
            RunSummary first = sync(spark, config, "1st run (model v1: every row is new)");

            DemoModel.version(spark, rows, 2).write().mode("overwrite").parquet(modelPath.toString());
            RunSummary second = sync(spark, config, "2nd run (model v2: ~5% updated, 1% deleted, 2% new)");

            Dataset<Row> model = spark.read().parquet(modelPath.toString());
            long differences = TableComparison.differences(spark, model, (PostgresConfig) config.destination(),
                    "customer_id");
            out.println();
            printTable(first, second);
            out.printf("Destination table vs model: %d rows, %s%n", model.count(),
                    differences == 0 ? "identical (every column, every value)" : differences + " rows DIFFER");
            boolean ok = differences == 0 && first.exitCode() == 0 && second.exitCode() == 0;
            out.println(ok ? "Demo succeeded." : "Demo FAILED.");
            return ok ? 0 : 1;
        }
    }

    private RunSummary sync(SparkSession spark, SyncConfig config, String title) {
        out.println();
        out.println("== " + title);
        RunSummary summary = new SyncRun(spark, config, Destinations.create(config.destination()), Sleeper.SYSTEM)
                .run(RunOptions.defaults());
        if (summary.message() != null) {
            out.println(summary.message());
        }
        out.println(summary.summaryLine());
        return summary;
    }

    private void printTable(RunSummary first, RunSummary second) {
        out.printf("%-10s %10s %10s %10s %10s %8s %9s %9s %9s %9s%n", "run", "inserts", "updates", "deletes",
                "failed", "batches", "diff s", "load s", "commit s", "total s");
        printRow("1st", first);
        printRow("2nd", second);
    }

    private void printRow(String name, RunSummary summary) {
        out.printf(java.util.Locale.ROOT, "%-10s %10d %10d %10d %10d %8d %9.1f %9.1f %9.1f %9.1f%n", name,
                summary.sentCount("INSERT"), summary.sentCount("UPDATE"), summary.sentCount("DELETE"),
                summary.failed(), summary.requests(), seconds(summary, "diff"), seconds(summary, "load"),
                seconds(summary, "commit"), summary.duration().toMillis() / 1000.0);
    }

    private static double seconds(RunSummary summary, String phase) {
        return summary.phaseMillis().getOrDefault(phase, 0L) / 1000.0;
    }

    private static Path writeConfig(Path work, Path modelPath, LocalPostgres postgres) {
        String yaml = String.join("\n",
                "name: demo_customers_ltv",
                "source:",
                "  type: table",
                "  format: parquet",
                "  path: " + modelPath,
                "key: [customer_id]",
                "mode: mirror",
                "state_path: " + work.resolve("state"),
                "writers: 4",
                "guards: {max_delete_fraction: 0.25, max_change_fraction: 1.0}",
                "destination:",
                "  type: postgres",
                "  url: " + postgres.jdbcUrl(),
                "  user: " + postgres.user(),
                "  table: public.customers_ltv",
                "  batch_size: 5000",
                "  create_table: true",
                "");
        try {
            return Files.writeString(work.resolve("demo-sync.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the demo config in " + work, e);
        }
    }

    private static Path createWorkDirectory() {
        try {
            return Files.createTempDirectory("backflow-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the demo's work directory", e);
        }
    }
}

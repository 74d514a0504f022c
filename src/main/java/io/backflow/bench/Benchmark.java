package io.backflow.bench;

import io.backflow.BackflowException;
import io.backflow.cli.SparkSessions;
import io.backflow.diff.Differ;
import io.backflow.local.LocalPostgres;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench}: measures Backflow's phases against strong baselines on the same generated data, in this
 * JVM, on the same cores. See {@link BenchOptions} for what varies, {@link BenchReport} for what is printed.
 *
 * <ol>
 *   <li>diff: Backflow's diff phase vs DuckDB's full outer join ({@link DuckDbDiff}); and, against the same
 *   baseline, lower bounds for a Spark diff of Backflow's shape: reading and hashing the model alone, and
 *   that plus a shuffle join of both sides' keys and hashes ({@link SparkDiffFloors}); and what naming each
 *   update's changed columns costs: the same diff and plan write with and without it
 *   ({@link FieldDetectionDiffs});</li>
 *   <li>load: Backflow's PostgreSQL writers vs one hand-written COPY + upsert ({@link BenchPostgres});</li>
 *   <li>commit: Backflow's delete-only MERGE and append vs one MERGE that deletes, updates and inserts
 *   ({@link OneMergeCommit});</li>
 *   <li>end to end: a whole Backflow run, and the JVM's peak heap during it.</li>
 * </ol>
 * Every pass checks its result: every diff finds the generated change counts (and the one that names changed
 * columns names them for every update), and after every load the destination equals the model. Between
 * passes the destination and the snapshot go back to the previous state, so every pass does the same work.
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    private final PrintStream out;

    public Benchmark(PrintStream out) {
        this.out = out;
    }

    /** Runs the benchmark; 0 when every check held, 1 when a result was wrong. */
    public int run(BenchOptions options) throws Exception {
        if (!SparkSessions.isLocal()) {
            // DuckDB and the embedded PostgreSQL are not in the job jar, and a cluster's cores are not the baseline's.
            throw new BackflowException(BackflowException.Category.INVALID_INPUT,
                    "bench runs in Spark local mode only: use submit/local.sh bench");
        }
        Path work = Files.createDirectories(options.workDirectory());
        out.printf("Backflow benchmark: %,d rows, %.1f%% changed, %s keys, %d value columns, %d timed run(s) after %d "
                + "warm-up(s); working in %s%n", options.rows(), options.changeFraction() * 100,
                options.keyType().name().toLowerCase(java.util.Locale.ROOT), options.columns(), options.runs(),
                options.warmups(), work);
        SparkSession spark = SparkSessions.getOrCreate("backflow bench");
        int cores = spark.sparkContext().defaultParallelism();
        BenchReport report = new BenchReport(options, cores, Runtime.getRuntime().maxMemory());
        BenchData data = new BenchData(options);
        List<String> columns = data.columns();
        Path model = work.resolve("model");
        Path previous = work.resolve("previous");

        Path duckDirectory = work.resolve("duckdb");
        Path template = work.resolve("template");
        // Data made for the same options is reused: rerunning on one machine then compares like with like.
        Path dataStamp = work.resolve("data-options.txt");
        String dataOptions = data.describe();
        boolean reuse = Files.exists(dataStamp) && Files.readString(dataStamp).equals(dataOptions);
        if (reuse) {
            out.println("reusing the data in " + work + " (" + dataOptions + ")");
        } else {
            Files.deleteIfExists(dataStamp);
            step("generate the model and the previous state", () -> {
                data.model(spark).write().mode("overwrite").parquet(model.toString());
                data.previous(spark).write().mode("overwrite").parquet(previous.toString());
                return null;
            });
            step("commit Backflow's snapshot of the previous state", () -> {
                SnapshotTemplate.create(spark, template, spark.read().parquet(previous.toString()), columns);
                return null;
            });
        }
        report.expected(data.expectedChanges(spark), spark.read().parquet(model.toString()).count());

        Files.createDirectories(duckDirectory);
        try (DuckDbDiff duck = new DuckDbDiff(duckDirectory, cores, model, previous, columns);
             LocalPostgres postgres = LocalPostgres.start()) {
            if (!reuse) {
                step("write DuckDB's snapshot of the previous state", () -> {
                    duck.writeSnapshot();
                    return null;
                });
                Files.writeString(dataStamp, dataOptions);
            }
            // The PostgreSQL side is filled, checked and restored from the changes DuckDB's diff writes, so one
            // untimed diff (its counts checked like every other) comes first.
            step("diff with DuckDB for the changes PostgreSQL is checked against", () -> {
                report.duckDbDiff(false, 0, duck.diff());
                return null;
            });
            BenchPostgres destination = new BenchPostgres(postgres.jdbcUrl(), postgres.user(), options.keyType(),
                    columns);
            step("load the previous state into PostgreSQL", () -> {
                destination.setUp(duck.exportPrevious(), duck.exportChanges(), duck.exportPreviousOfChanged());
                return null;
            });
            BackflowPass backflow = new BackflowPass(spark, new SnapshotTemplate(template), work,
                    syncConfig(model, postgres, options), columns);
            SparkDiffFloors floors = new SparkDiffFloors(spark, model, template.resolve("snapshot"), columns);
            FieldDetectionDiffs detection = new FieldDetectionDiffs(spark, model, template, columns,
                    work.resolve("detection-scratch"));
            Path changesCsv = duckDirectory.resolve("changes.csv");
            for (int pass = 0; pass < options.warmups() + options.runs(); pass++) {
                boolean timed = pass >= options.warmups();
                String label = (timed ? "run " + (pass - options.warmups() + 1) : "warm-up " + (pass + 1));
                LOG.info("Benchmark {}: Backflow", label);
                BackflowPass.Result result = backflow.run(pass);
                report.backflow(timed, result, destination.differences(report.modelRows()));
                destination.restore();

                // The baselines run in the order Backflow's phases do, diff then load, so the COPY meets the
                // machine as Backflow's writers do: after a diff's reads and writes have gone through the page
                // cache. Loading right after the restore, which touches exactly the changed rows' pages and
                // vacuums the table, would hand the baseline a warm cache Backflow never gets (at 100M rows
                // the table no longer fits next to the diff's files).
                // The floors come after DuckDB's diff, so DuckDB meets the model's pages as it did before they
                // were measured: right after Backflow's pass.
                LOG.info("Benchmark {}: DuckDB diff, Spark's diff floors, then COPY baseline", label);
                long start = System.nanoTime();
                BenchData.ChangeCounts counts = duck.diff();
                report.duckDbDiff(timed, millisSince(start), counts);
                start = System.nanoTime();
                long rowsRead = floors.scan();
                report.scanFloor(timed, millisSince(start), rowsRead);
                start = System.nanoTime();
                BenchData.ChangeCounts floorCounts = floors.keyJoin();
                report.keyJoinFloor(timed, millisSince(start), floorCounts);
                // What naming the changed columns costs: the same diff and plan write with and without it. The
                // order alternates from pass to pass, so neither variant always meets the other's page cache.
                if (pass % 2 == 0) {
                    report.rowsOnlyDiff(timed, detection.diff(Differ.FieldDetection.ROWS_ONLY, pass));
                    report.changedColumnsDiff(timed, detection.diff(Differ.FieldDetection.CHANGED_COLUMNS, pass));
                } else {
                    report.changedColumnsDiff(timed, detection.diff(Differ.FieldDetection.CHANGED_COLUMNS, pass));
                    report.rowsOnlyDiff(timed, detection.diff(Differ.FieldDetection.ROWS_ONLY, pass));
                }
                start = System.nanoTime();
                destination.copyLoad(changesCsv);
                report.copyLoad(timed, millisSince(start), destination.differences(report.modelRows()));
                destination.restore();
                out.printf("%s done: Backflow %.1f s (diff %.1f, load %.1f, commit %.1f); DuckDB diff %.1f s; Spark floors: "
                        + "scan %.1f s, key join %.1f s; diff + plan with changed columns %.1f s, rows only %.1f s; "
                        + "COPY load %.1f s%n", label,
                        result.summary().duration().toMillis() / 1000.0, result.phase("diff") / 1000.0,
                        result.phase("load") / 1000.0, result.phase("commit") / 1000.0, report.lastDuckDbSeconds(),
                        report.lastScanFloorSeconds(), report.lastKeyJoinFloorSeconds(),
                        report.lastChangedColumnsSeconds(), report.lastRowsOnlySeconds(), report.lastCopySeconds());
            }
        }
        out.println();
        report.print(out);
        report.writeJson(options.json());
        out.println("Report written to " + options.json());
        List<String> problems = report.problems();
        problems.forEach(problem -> out.println("CHECK FAILED: " + problem));
        return problems.isEmpty() ? 0 : 1;
    }

    private <T> T step(String description, Callable<T> work) throws Exception {
        long start = System.nanoTime();
        out.print(description + " ... ");
        out.flush();
        T result = work.call();
        out.printf("%.1f s%n", millisSince(start) / 1000.0);
        return result;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The benchmark's sync: the product's defaults, guards open (the benchmark changes rows on purpose). */
    private static String syncConfig(Path model, LocalPostgres postgres, BenchOptions options) {
        return String.join("\n",
                "name: bench",
                "source:",
                "  type: table",
                "  format: parquet",
                "  path: " + model,
                "key: [" + BenchData.KEY + "]",
                "mode: mirror",
                "state_path: ${state_path}",
                "writers: " + options.writers(),
                "guards: {max_delete_fraction: 1.0, max_change_fraction: 1.0}",
                "destination:",
                "  type: postgres",
                "  url: " + postgres.jdbcUrl(),
                "  user: " + postgres.user(),
                "  table: public." + BenchPostgres.TABLE,
                "");
    }
}

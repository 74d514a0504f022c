package io.backflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results: per phase, the median of the timed passes for Backflow and its baseline, and
 * their ratio; plus every check a pass made. Printed as a table and written as JSON.
 */
final class BenchReport {

    /** The budget: the diff with changed-column detection takes at most 10% more than without. */
    static final double DETECTION_BUDGET_RATIO = 1.10;

    private final BenchOptions options;
    private final int cores;
    private final long maxHeapBytes;
    private final Measurements backflowDiff = new Measurements();
    private final Measurements duckDbDiff = new Measurements();
    private final Measurements scanFloor = new Measurements();
    private final Measurements keyJoinFloor = new Measurements();
    private final Measurements rowsOnlyDiff = new Measurements();
    private final Measurements changedColumnsDiff = new Measurements();
    private final Measurements rowsOnlyShuffle = new Measurements();
    private final Measurements changedColumnsShuffle = new Measurements();
    private final Measurements backflowLoad = new Measurements();
    private final Measurements copyLoad = new Measurements();
    private final Measurements backflowCommit = new Measurements();
    private final Measurements oneMergeCommit = new Measurements();
    private final Measurements backflowTotal = new Measurements();
    private final List<String> problems = new ArrayList<>();
    private BenchData.ChangeCounts expected;
    private long modelRows;
    private long peakHeapBytes;
    private long lastDuckDbMillis;
    private long lastScanFloorMillis;
    private long lastKeyJoinFloorMillis;
    private long lastRowsOnlyMillis;
    private long lastChangedColumnsMillis;
    private long lastCopyMillis;

    BenchReport(BenchOptions options, int cores, long maxHeapBytes) {
        this.options = options;
        this.cores = cores;
        this.maxHeapBytes = maxHeapBytes;
    }

    void expected(BenchData.ChangeCounts counts, long modelRowCount) {
        this.expected = counts;
        this.modelRows = modelRowCount;
    }

    long modelRows() {
        return modelRows;
    }

    void duckDbDiff(boolean timed, long millis, BenchData.ChangeCounts counts) {
        lastDuckDbMillis = millis;
        if (timed) {
            duckDbDiff.add(millis);
        }
        check("DuckDB's diff", counts);
    }

    /** Spark reading and hashing the model alone ({@link SparkDiffFloors#scan}), which must see every model row. */
    void scanFloor(boolean timed, long millis, long rowsRead) {
        lastScanFloorMillis = millis;
        if (timed) {
            scanFloor.add(millis);
        }
        if (rowsRead != modelRows) {
            problems.add("Spark's scan of the model read " + rowsRead + " rows, the model has " + modelRows);
        }
    }

    /** Spark's shuffle join of keys and hashes ({@link SparkDiffFloors#keyJoin}), which must find every change. */
    void keyJoinFloor(boolean timed, long millis, BenchData.ChangeCounts counts) {
        lastKeyJoinFloorMillis = millis;
        if (timed) {
            keyJoinFloor.add(millis);
        }
        check("Spark's key-join floor", counts);
    }

    /**
     * Backflow's diff and plan write without changed-column detection ({@link FieldDetectionDiffs}), which must
     * find every change and name no column.
     */
    void rowsOnlyDiff(boolean timed, FieldDetectionDiffs.Result result) {
        lastRowsOnlyMillis = result.millis();
        if (timed) {
            rowsOnlyDiff.add(result.millis());
            rowsOnlyShuffle.add(result.shuffleBytesWritten());
        }
        check("Backflow's diff without changed-column detection", result.counts());
        if (result.namesColumns()) {
            problems.add("Backflow's diff without changed-column detection wrote the changed-column list, so it "
                    + "measured the detection it should leave out");
        }
    }

    /**
     * The same diff and plan write with changed-column detection, what every run does, which must find every
     * change and name every synced column for every update (the data changes each value column of an update).
     */
    void changedColumnsDiff(boolean timed, FieldDetectionDiffs.Result result) {
        lastChangedColumnsMillis = result.millis();
        if (timed) {
            changedColumnsDiff.add(result.millis());
            changedColumnsShuffle.add(result.shuffleBytesWritten());
        }
        check("Backflow's diff with changed-column detection", result.counts());
        if (!result.namesColumns()) {
            problems.add("Backflow's diff with changed-column detection wrote no changed-column list");
        } else if (result.updatesNamingOtherColumns() != 0) {
            problems.add("Backflow's diff with changed-column detection named other columns than every synced "
                    + "column, or none, for " + result.updatesNamingOtherColumns() + " of " + result.counts().updates()
                    + " updates; each generated update changes every value column");
        }
    }

    void backflow(boolean timed, BackflowPass.Result result, long differences) {
        var summary = result.summary();
        check("Backflow's diff", new BenchData.ChangeCounts(summary.diffCount("INSERT"), summary.diffCount("UPDATE"),
                summary.diffCount("DELETE")));
        if (differences != 0) {
            problems.add("after Backflow's load, " + differences + " rows of the destination differ from the model");
        }
        peakHeapBytes = Math.max(peakHeapBytes, result.peakHeapBytes());
        if (timed) {
            backflowDiff.add(result.phase("diff"));
            backflowLoad.add(result.phase("load"));
            backflowCommit.add(result.phase("commit"));
            oneMergeCommit.add(result.oneMergeCommitMillis());
            backflowTotal.add(summary.duration().toMillis());
        }
    }

    void copyLoad(boolean timed, long millis, long differences) {
        lastCopyMillis = millis;
        if (timed) {
            copyLoad.add(millis);
        }
        if (differences != 0) {
            problems.add("after the COPY baseline's load, " + differences + " rows of the destination differ from the "
                    + "model");
        }
    }

    double lastDuckDbSeconds() {
        return lastDuckDbMillis / 1000.0;
    }

    double lastScanFloorSeconds() {
        return lastScanFloorMillis / 1000.0;
    }

    double lastKeyJoinFloorSeconds() {
        return lastKeyJoinFloorMillis / 1000.0;
    }

    double lastRowsOnlySeconds() {
        return lastRowsOnlyMillis / 1000.0;
    }

    double lastChangedColumnsSeconds() {
        return lastChangedColumnsMillis / 1000.0;
    }

    double lastCopySeconds() {
        return lastCopyMillis / 1000.0;
    }

    /** Every check that failed, in order; empty when all held. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    void print(PrintStream out) {
        long changes = expected.total();
        out.printf(Locale.ROOT, "rows %,d, changes %,d (%,d inserts, %,d updates, %,d deletes), %d cores, heap max "
                + "%.1f GiB, median of %d run(s)%n", modelRows, changes, expected.inserts(), expected.updates(),
                expected.deletes(), cores, gib(maxHeapBytes), options.runs());
        out.printf(Locale.ROOT, "%-8s %-44s %12s %-34s %12s %8s%n", "phase", "measured", "seconds", "baseline", "seconds",
                "ratio");
        row(out, "diff", "diff phase (join, checks, plan written)", backflowDiff, "DuckDB full outer join to Parquet",
                duckDbDiff);
        row(out, "floor", "Spark: model read + row hash, nothing else", scanFloor, "DuckDB full outer join to Parquet",
                duckDbDiff);
        row(out, "floor", "Spark: that + key/hash shuffle join, counted", keyJoinFloor,
                "DuckDB full outer join to Parquet", duckDbDiff);
        row(out, "detect", "diff + plan, changed columns named", changedColumnsDiff, "same diff + plan, rows only",
                rowsOnlyDiff);
        row(out, "load", "PostgreSQL writers (" + options.writers() + ")", backflowLoad, "one COPY + upsert/delete",
                copyLoad);
        row(out, "commit", "delete-only MERGE + append", backflowCommit, "one MERGE (delete, update, insert)",
                oneMergeCommit);
        out.printf(Locale.ROOT, "changed-column detection: the diff + plan takes %.2fx its time without (budget %.2fx: "
                + "%s); shuffle written %,.1f MiB against %,.1f MiB (%.2fx)%n", detectionRatio(),
                DETECTION_BUDGET_RATIO, detectionRatio() <= DETECTION_BUDGET_RATIO ? "met" : "not met",
                changedColumnsShuffle.median() / (1024 * 1024), rowsOnlyShuffle.median() / (1024 * 1024),
                changedColumnsShuffle.median() / rowsOnlyShuffle.median());
        out.printf(Locale.ROOT, "load throughput: Backflow %,.0f changes/s, COPY baseline %,.0f changes/s (Backflow / "
                + "baseline = %.2f)%n", changes / backflowLoad.medianSeconds(), changes / copyLoad.medianSeconds(),
                copyLoad.medianSeconds() / backflowLoad.medianSeconds());
        out.printf(Locale.ROOT, "end to end: Backflow run %.1f s, %,.0f model rows/s; peak JVM heap %.2f GiB%n",
                backflowTotal.medianSeconds(), modelRows / backflowTotal.medianSeconds(), gib(peakHeapBytes));
    }

    private static void row(PrintStream out, String phase, String backflowName, Measurements backflow,
            String baselineName, Measurements baseline) {
        out.printf(Locale.ROOT, "%-8s %-44s %12.1f %-34s %12.1f %8.2f%n", phase, backflowName, backflow.medianSeconds(),
                baselineName, baseline.medianSeconds(), backflow.medianSeconds() / baseline.medianSeconds());
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rows", options.rows());
        json.put("model_rows", modelRows);
        json.put("change_fraction", options.changeFraction());
        json.put("key_type", options.keyType().name().toLowerCase(Locale.ROOT));
        json.put("columns", options.columns());
        json.put("runs", options.runs());
        json.put("warmups", options.warmups());
        json.put("writers", options.writers());
        json.put("cores", cores);
        json.put("max_heap_bytes", maxHeapBytes);
        json.put("peak_heap_bytes", peakHeapBytes);
        json.put("changes", Map.of("inserts", expected.inserts(), "updates", expected.updates(), "deletes",
                expected.deletes()));
        json.put("diff", phase(backflowDiff, "duckdb", duckDbDiff));
        json.put("diff_floor_scan", phase(scanFloor, "duckdb", duckDbDiff, "spark"));
        json.put("diff_floor_key_join", phase(keyJoinFloor, "duckdb", duckDbDiff, "spark"));
        Map<String, Object> detection = phase(changedColumnsDiff, "rows_only", rowsOnlyDiff, "changed_columns");
        detection.put("budget_ratio", DETECTION_BUDGET_RATIO);
        detection.put("within_budget", detectionRatio() <= DETECTION_BUDGET_RATIO);
        detection.put("changed_columns_shuffle_bytes", changedColumnsShuffle.all());
        detection.put("rows_only_shuffle_bytes", rowsOnlyShuffle.all());
        json.put("diff_changed_columns", detection);
        json.put("load", phase(backflowLoad, "copy", copyLoad));
        json.put("commit", phase(backflowCommit, "one_merge", oneMergeCommit));
        json.put("end_to_end", Map.of("seconds", backflowTotal.medianSeconds(), "millis", backflowTotal.all(),
                "model_rows_per_second", modelRows / backflowTotal.medianSeconds()));
        json.put("problems", problems);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static Map<String, Object> phase(Measurements backflow, String baselineName, Measurements baseline) {
        return phase(backflow, baselineName, baseline, "backflow");
    }

    private static Map<String, Object> phase(Measurements measured, String baselineName, Measurements baseline,
            String measuredName) {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put(measuredName + "_seconds", measured.medianSeconds());
        phase.put(baselineName + "_seconds", baseline.medianSeconds());
        phase.put("ratio", measured.medianSeconds() / baseline.medianSeconds());
        phase.put(measuredName + "_millis", measured.all());
        phase.put(baselineName + "_millis", baseline.all());
        return phase;
    }

    private double detectionRatio() {
        return changedColumnsDiff.medianSeconds() / rowsOnlyDiff.medianSeconds();
    }

    private void check(String who, BenchData.ChangeCounts counts) {
        if (!counts.equals(expected)) {
            problems.add(who + " found " + counts + ", the data has " + expected);
        }
    }

    private static double gib(long bytes) {
        return bytes / (1024.0 * 1024 * 1024);
    }
}

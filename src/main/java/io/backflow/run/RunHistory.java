package io.backflow.run;

import io.backflow.state.StateLayout;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Reads a sync's {@code runs} Delta table (one row per recorded run, written by {@link RunRecorder}
 * with the columns of its {@code RUNS_SCHEMA}), newest first. Read-only; every method collects a
 * bounded number of rows to the driver. Use from the driver thread that owns the Spark session.
 */
public final class RunHistory {

    private static final String RUN_ID = "run_id";
    private static final String STARTED_AT = "started_at";

    private final SparkSession spark;
    private final String path;

    public RunHistory(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.path = layout.runs();
    }

    /** False before the sync's first recorded run. */
    public boolean exists() {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /** Recorded runs; 0 if there is no runs table. */
    public long count() {
        return exists() ? read().count() : 0L;
    }

    /**
     * Up to {@code limit} runs, newest first, with every column of the runs table.
     *
     * @throws IllegalStateException if there is no runs table (check {@link #exists()})
     */
    public List<Row> latest(int limit) {
        return newestFirst().limit(limit).collectAsList();
    }

    /** Ids of up to {@code limit} runs, newest first; empty if there is no runs table. */
    public List<String> latestRunIds(int limit) {
        if (!exists()) {
            return List.of();
        }
        return newestFirst().select(RUN_ID).limit(limit).collectAsList().stream().map(row -> row.getString(0))
                .toList();
    }

    /** Whether a run with this id was recorded. */
    public boolean contains(String runId) {
        return exists() && !read().where(col(RUN_ID).equalTo(runId)).limit(1).isEmpty();
    }

    /** The recorded run with this id, with every column of the runs table. */
    public Optional<Row> find(String runId) {
        if (!exists()) {
            return Optional.empty();
        }
        List<Row> rows = read().where(col(RUN_ID).equalTo(runId)).limit(1).collectAsList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private Dataset<Row> newestFirst() {
        if (!exists()) {
            throw new IllegalStateException("No runs table at " + path + "; check exists() first");
        }
        // Run ids start with their start time, so as a tie-break they keep the order deterministic.
        return read().orderBy(col(STARTED_AT).desc(), col(RUN_ID).desc());
    }

    private Dataset<Row> read() {
        return spark.read().format("delta").load(path);
    }
}

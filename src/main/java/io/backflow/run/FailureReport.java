package io.backflow.run;

import io.backflow.diff.Columns;
import io.backflow.load.LoadResults;
import io.backflow.state.StateLayout;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

/**
 * Reads a sync's {@code failures} Delta table: the records runs could not deliver (schema
 * {@link LoadResults#schema}). Read-only; every method collects a bounded number of rows to the
 * driver. Use from the driver thread that owns the Spark session.
 */
public final class FailureReport {

    private static final Set<String> FIXED_COLUMNS = Set.of(Columns.RUN_ID, Columns.OPERATION, LoadResults.STATUS,
            LoadResults.ERROR_CLASS, LoadResults.ERROR_MESSAGE, LoadResults.RECORDED_AT, LoadResults.CHANGED_COLUMNS);

    private final SparkSession spark;
    private final String path;
    private final List<String> configuredKey;

    /**
     * @param key the sync's key columns, as configured now; the failures table names its key columns the
     *     same way
     */
    public FailureReport(SparkSession spark, StateLayout layout, List<String> key) {
        this.spark = spark;
        this.path = layout.failures();
        this.configuredKey = List.copyOf(key);
    }

    /** Undelivered records of one status and error class of a run. */
    public record FailureCount(String status, String errorClass, long count) {
    }

    /** False until a run has loaded changes (the table is created by the first load, even a clean one). */
    public boolean exists() {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /** The run whose undelivered records were recorded last, if any run has some. */
    public Optional<String> newestRunWithFailures() {
        List<Row> newest = read().groupBy(col(Columns.RUN_ID)).agg(max(col(LoadResults.RECORDED_AT)).as("latest"))
                .orderBy(col("latest").desc(), col(Columns.RUN_ID).desc()).limit(1).collectAsList();
        return newest.stream().findFirst().map(row -> row.getString(0));
    }

    /** Whether the run has undelivered records. */
    public boolean hasFailures(String runId) {
        return !forRun(runId).limit(1).isEmpty();
    }

    /** The run's undelivered records. */
    public long count(String runId) {
        return forRun(runId).count();
    }

    /** Counts per status and error class, largest first; a small aggregate. */
    public List<FailureCount> countsByClass(String runId) {
        List<FailureCount> counts = new ArrayList<>();
        forRun(runId).groupBy(col(LoadResults.STATUS), col(LoadResults.ERROR_CLASS)).count()
                .orderBy(col("count").desc(), col(LoadResults.STATUS), col(LoadResults.ERROR_CLASS))
                .collectAsList()
                .forEach(row -> counts.add(new FailureCount(row.getString(0), row.getString(1), row.getLong(2))));
        return counts;
    }

    /**
     * Up to {@code limit} of the run's undelivered records, ordered by status, error class and key, with
     * the columns {@code _backflow_run_id}, the {@link #keyColumns() key columns}, {@code _backflow_op},
     * {@code status}, {@code error_class}, {@code error_message}, {@code recorded_at} and
     * {@code changed_columns} (an update's changed columns, null when it sent every column).
     */
    public List<Row> records(String runId, int limit) {
        List<String> key = keyColumns();
        List<Column> selected = new ArrayList<>();
        selected.add(col(Columns.RUN_ID));
        key.forEach(name -> selected.add(col(Columns.quoted(name))));
        List.of(Columns.OPERATION, LoadResults.STATUS, LoadResults.ERROR_CLASS, LoadResults.ERROR_MESSAGE,
                LoadResults.RECORDED_AT).forEach(name -> selected.add(col(name)));
        // Tables written before updates named their changed columns have no such column.
        selected.add(List.of(read().schema().fieldNames()).contains(LoadResults.CHANGED_COLUMNS)
                ? col(LoadResults.CHANGED_COLUMNS)
                : org.apache.spark.sql.functions.lit(null).cast("array<string>").as(LoadResults.CHANGED_COLUMNS));
        List<Column> order = new ArrayList<>(List.of(col(LoadResults.STATUS), col(LoadResults.ERROR_CLASS)));
        key.forEach(name -> order.add(col(Columns.quoted(name))));
        // orderBy + limit is a top-N per partition: bounded memory however many records failed.
        return forRun(runId).select(selected.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new))
                .limit(limit).collectAsList();
    }

    /**
     * The key columns of the failures table: the configured key's columns it has. If the key was
     * changed since (the table took the new columns by schema merge), the configured ones still name
     * today's records; should none of them be there, every column that is not Backflow's own is shown.
     */
    public List<String> keyColumns() {
        List<String> tableColumns = List.of(read().schema().fieldNames());
        List<String> key = configuredKey.stream().filter(tableColumns::contains).toList();
        return key.isEmpty() ? tableColumns.stream().filter(name -> !FIXED_COLUMNS.contains(name)).toList() : key;
    }

    private Dataset<Row> forRun(String runId) {
        return read().where(col(Columns.RUN_ID).equalTo(runId));
    }

    private Dataset<Row> read() {
        return spark.read().format("delta").load(path);
    }
}

package io.backflow.state;

import io.backflow.diff.Columns;
import io.backflow.load.LoadResults;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

/**
 * Records a run could not deliver, appended per run to the sync's {@code failures} Delta table: key
 * columns, operation, status ({@code failed} or {@code skipped}), error class and message.
 */
public final class FailureStore {

    private final SparkSession spark;
    private final String path;

    public FailureStore(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.path = layout.failures();
    }

    /**
     * Appends the load's output. Writing it is what runs the load: Delta commits only the output of
     * tasks that succeeded, so a re-run task never duplicates a failure row.
     */
    public void append(Dataset<Row> loadResults, String runId) {
        DeltaTables.createIfMissing(spark, path, loadResults.schema(), false);
        loadResults.write().format("delta").mode("append").option("mergeSchema", "true")
                .option("userMetadata", "backflow run " + runId).save(path);
    }

    /** Whether any run has written the failures table yet. */
    public boolean exists() {
        return io.delta.tables.DeltaTable.isDeltaTable(spark, path);
    }

    /** The run's undelivered records; empty if it had none. */
    public Dataset<Row> forRun(String runId) {
        return spark.read().format("delta").load(path).where(col(Columns.RUN_ID).equalTo(runId));
    }

    /** Counts per status and error class for the run, with a sample message each; a small aggregate. */
    public List<FailureGroup> summarize(String runId) {
        List<FailureGroup> groups = new ArrayList<>();
        forRun(runId).groupBy(col(LoadResults.STATUS), col(LoadResults.ERROR_CLASS))
                .agg(count(lit(1)), first(col(LoadResults.ERROR_MESSAGE)))
                .collectAsList()
                .forEach(row -> groups.add(new FailureGroup(row.getString(0), row.getString(1), row.getLong(2),
                        row.getString(3))));
        return groups;
    }

    /** One status and error class of a run's undelivered records. */
    public record FailureGroup(String status, String errorClass, long count, String sampleMessage) {
    }
}

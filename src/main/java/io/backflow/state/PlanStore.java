package io.backflow.state;

import io.backflow.diff.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Each run's change set, written as its own Delta table ({@code plans/<run id>}) before anything is
 * sent: a dry run can show it, the run can be audited, and the load and the commit read the same
 * changes even if the model changes meanwhile. One table per run keeps runs with different model
 * schemas apart and makes removing old plans a directory delete.
 */
public final class PlanStore {

    private final SparkSession spark;
    private final StateLayout layout;

    public PlanStore(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** Runs the diff and stores its result as the run's plan. */
    public void write(Dataset<Row> changes, String runId) {
        DeltaTables.createIfMissing(spark, path(runId), changes.schema(), false);
        changes.write().format("delta").mode("append").option("userMetadata", "backflow run " + runId)
                .save(path(runId));
    }

    public Dataset<Row> read(String runId) {
        return spark.read().format("delta").load(path(runId));
    }

    /** Rows per {@link Columns#OPERATION} value (including invalid-key markers); a small aggregate. */
    public Map<String, Long> countByOperation(String runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<Row> rows = read(runId).groupBy(col(Columns.OPERATION)).count().collectAsList();
        rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
        return counts;
    }

    /** Up to {@code limit} plan rows with the given operation value. */
    public List<Row> sample(String runId, String operation, int limit) {
        return read(runId).where(col(Columns.OPERATION).equalTo(operation)).limit(limit).collectAsList();
    }

    private String path(String runId) {
        return layout.plans() + "/" + runId;
    }
}

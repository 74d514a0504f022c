package io.backflow.bench;

import io.backflow.diff.Columns;
import io.backflow.diff.Differ;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.ModelFingerprint;
import io.backflow.diff.Operation;
import io.backflow.local.LocalFiles;
import io.backflow.state.PlanStore;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * What naming each update's changed columns costs the diff: Backflow's diff and plan write, built as a run
 * builds them (the model keyed, hashed and fingerprinted, the snapshot's needed columns, {@link Differ}'s one
 * full outer join with the key checks, the plan stored by {@link PlanStore#write} and counted), once with
 * {@link Differ.FieldDetection#CHANGED_COLUMNS}, what every run does, and once with
 * {@link Differ.FieldDetection#ROWS_ONLY}, which skips the second, narrow step that names the columns (a scan of
 * the snapshot's field hashes for the updated keys and a rewrite of the plan) and so names
 * no column. Both variants are timed the same way, here, so the ratio holds none of a run's other fixed costs
 * (its lock, the snapshot and pending-key checks before the diff).
 *
 * <p>Each plan goes to a scratch state directory and is removed after its checks. The snapshot is the
 * template's, only read.
 */
final class FieldDetectionDiffs {

    private final SparkSession spark;
    private final Path model;
    private final SnapshotStore snapshot;
    private final List<String> columns;
    private final StateLayout scratch;
    private final ShuffleBytes shuffle;

    /**
     * What one variant did.
     *
     * @param millis the diff and plan write, with the plan's counts per operation
     * @param counts the plan's inserts, updates and deletes
     * @param updatesNamingOtherColumns updates whose changed-column list is not every synced column (the data
     *     changes every value column of an updated row); 0 for a variant that names no column
     * @param namesColumns whether the plan has the changed-column list
     * @param shuffleBytesWritten shuffle bytes the diff and plan write wrote
     */
    record Result(long millis, BenchData.ChangeCounts counts, long updatesNamingOtherColumns, boolean namesColumns,
            long shuffleBytesWritten) {
    }

    /**
     * @param model the model's Parquet directory
     * @param template the state directory holding the previous state's snapshot ({@link SnapshotTemplate})
     * @param scratch a directory for the plans, emptied as each is checked
     */
    FieldDetectionDiffs(SparkSession spark, Path model, Path template, List<String> columns, Path scratch) {
        this.spark = spark;
        this.model = model;
        this.snapshot = new SnapshotStore(spark, new StateLayout(template.toString()));
        this.columns = List.copyOf(columns);
        this.scratch = new StateLayout(scratch.toString());
        this.shuffle = ShuffleBytes.register(spark);
    }

    /** Diffs and writes the plan of pass {@code pass} with {@code detection}, timed, then checks it, untimed. */
    Result diff(Differ.FieldDetection detection, int pass) {
        String planId = detection.name().toLowerCase(Locale.ROOT) + "-" + pass;
        PlanStore plans = new PlanStore(spark, scratch);
        Path plan = Path.of(scratch.plans(), planId);
        LocalFiles.deleteRecursively(plan);
        Optional<Long> baseVersion = snapshot.version();
        try {
            long shuffleBefore = shuffle.written();
            long start = System.nanoTime();
            KeyedModel keyed = ModelFingerprint.observe(KeyedModel.of("bench", spark.read().parquet(model.toString()),
                    List.of(BenchData.KEY), Optional.of(columns)), new Observation("bench-" + planId));
            Dataset<Row> changes = Differ.changes(keyed, snapshot.keysAndHashes(keyed.key(), keyed.valueSchema()),
                    false, Optional.empty(), detection);
            if (detection == Differ.FieldDetection.CHANGED_COLUMNS) {
                plans.write(changes, planId, baseVersion, snapshot.fieldHashes(keyed.key(), keyed.valueSchema()),
                        keyed.key(), keyed.columns());
            } else {
                plans.write(changes, planId, baseVersion);
            }
            Map<String, Long> counts = plans.countByOperation(planId);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long shuffleWritten = shuffle.written() - shuffleBefore;

            Dataset<Row> stored = plans.read(planId);
            boolean namesColumns = Arrays.asList(stored.schema().fieldNames()).contains(Columns.CHANGED);
            long misnamed = namesColumns ? updatesNamingOtherColumns(stored) : 0;
            return new Result(millis, new BenchData.ChangeCounts(counts.getOrDefault(Operation.INSERT.name(), 0L),
                    counts.getOrDefault(Operation.UPDATE.name(), 0L), counts.getOrDefault(Operation.DELETE.name(), 0L)),
                    misnamed, namesColumns, shuffleWritten);
        } finally {
            LocalFiles.deleteRecursively(plan);
        }
    }

    private long updatesNamingOtherColumns(Dataset<Row> plan) {
        var every = array(columns.stream().map(org.apache.spark.sql.functions::lit)
                .toArray(org.apache.spark.sql.Column[]::new));
        return plan.where(col(Columns.OPERATION).equalTo(lit(Operation.UPDATE.name()))
                        .and(col(Columns.CHANGED).isNull().or(col(Columns.CHANGED).notEqual(every))))
                .count();
    }
}

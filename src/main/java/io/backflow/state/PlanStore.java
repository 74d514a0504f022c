package io.backflow.state;

import io.backflow.diff.ChangedColumns;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.diff.ModelFingerprint;
import io.backflow.load.LoadProgress;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Each run's change set, written as its own Delta table ({@code plans/<run id>}) before anything is
 * sent: a dry run can show it, the run can be audited, and the load and the commit read the same
 * changes even if the model changes meanwhile. One table per run keeps runs with different model
 * schemas apart and makes removing old plans a directory delete.
 */
public final class PlanStore {

    private static final String BASE_VERSION_PROPERTY = "backflow.base_snapshot_version";
    private static final String LEGACY_LOAD_STARTED_PROPERTY = "backflow.load_started";
    private static final String MODEL_FINGERPRINT = "model_fingerprint";
    private static final String LOAD_SETTINGS = "load_settings";
    private static final long NO_SNAPSHOT = -1;

    private final SparkSession spark;
    private final StateLayout layout;

    public PlanStore(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /**
     * Runs the diff and stores its result as the run's plan.
     *
     * @param baseVersion the snapshot version the diff was made against; empty for no snapshot
     */
    public void write(Dataset<Row> changes, String runId, Optional<Long> baseVersion) {
        DeltaTables.createWith(path(runId), changes,
                Map.of(BASE_VERSION_PROPERTY, String.valueOf(baseVersion.orElse(NO_SNAPSHOT))));
    }

    /**
     * Runs the diff, stores its result as the run's plan, then names each update's changed columns in it (see
     * {@link ChangedColumns}): the plan is rewritten once, which costs in proportion to the changes, not the model.
     *
     * @param changes the diff's changes, with {@link Columns#SENDS_ALL}
     * @param snapshotFieldHashes the snapshot's key and field-hash columns ({@link SnapshotStore#fieldHashes})
     * @param key the key columns
     * @param columns the synced columns, in model order
     */
    public void write(Dataset<Row> changes, String runId, Optional<Long> baseVersion, Dataset<Row> snapshotFieldHashes,
            List<String> key, List<String> columns) {
        write(changes, runId, baseVersion);
        Dataset<Row> plan = read(runId);
        long updates = plan.where(col(Columns.OPERATION).equalTo(Operation.UPDATE.name())
                .and(org.apache.spark.sql.functions.not(col(Columns.SENDS_ALL)))).count();
        Dataset<Row> named = ChangedColumns.named(plan, snapshotFieldHashes, key, columns, updates);
        // Delta reads the plan's version before the overwrite; the table keeps its properties (the base version).
        named.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path(runId));
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

    /**
     * Updates per changed synced column, most first (a small aggregate); empty for a plan that does not name
     * changed columns. Updates that send every column are not counted.
     */
    public Map<String, Long> countChangedColumns(String runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Dataset<Row> plan = read(runId);
        if (!List.of(plan.schema().fieldNames()).contains(Columns.CHANGED)) {
            return counts;
        }
        plan.where(col(Columns.CHANGED).isNotNull())
                .select(org.apache.spark.sql.functions.explode(col(Columns.CHANGED)).as("column"))
                .groupBy("column").count().orderBy(col("count").desc(), col("column")).collectAsList()
                .forEach(row -> counts.put(row.getString(0), row.getLong(1)));
        return counts;
    }

    /** Up to {@code limit} plan rows with the given operation value. */
    public List<Row> sample(String runId, String operation, int limit) {
        return read(runId).where(col(Columns.OPERATION).equalTo(operation)).limit(limit).collectAsList();
    }

    /**
     * Records, before the first change is sent, that this run's plan may have reached the destination. A
     * later run treats the keys of such a plan as pending until a snapshot commit covers them, or resumes
     * the plan if the model and the load settings are still the ones recorded here. The mark is a file in
     * the plan's load progress directory (see {@link LoadProgress#markStarted}).
     *
     * @param modelFingerprint the model the plan was made from; empty for a plan no later run may resume
     * @param loadSettings what fixes how the plan is cut into batches (writers, batch size, mode, cut,
     *     destination)
     */
    public void markLoadStarted(String runId, Optional<ModelFingerprint> modelFingerprint, String loadSettings) {
        Map<String, String> facts = new LinkedHashMap<>();
        modelFingerprint.ifPresent(fingerprint -> facts.put(MODEL_FINGERPRINT, fingerprint.encode()));
        facts.put(LOAD_SETTINGS, loadSettings);
        progress(runId).markStarted(facts);
    }

    /**
     * A plan that started loading and was never committed.
     *
     * @param runId the run that made it
     * @param modelFingerprint the model it was made from (empty for a plan no later run may resume, or when
     *     the mark was cut short by a crash)
     * @param loadSettings the load settings it was cut into batches with (empty when the mark was cut short)
     */
    public record StartedPlan(String runId, Optional<ModelFingerprint> modelFingerprint,
            Optional<String> loadSettings) {
    }

    /**
     * Plans of runs after {@code afterRunId} (exclusive; empty for all) that started loading against
     * snapshot version {@code baseVersion} and were never committed, oldest first: the destination may hold
     * any part of their changes. Run ids sort by start time, so only plans newer than the last committing
     * run are opened.
     */
    public List<StartedPlan> interruptedPlans(Optional<String> afterRunId, Optional<Long> baseVersion) {
        Path root = new Path(layout.plans());
        List<StartedPlan> interrupted = new ArrayList<>();
        try {
            FileSystem fileSystem = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fileSystem.exists(root)) {
                return interrupted;
            }
            for (FileStatus status : fileSystem.listStatus(root)) {
                String runId = status.getPath().getName();
                if (!status.isDirectory() || afterRunId.map(after -> runId.compareTo(after) <= 0).orElse(false)) {
                    continue;
                }
                Optional<Map<String, String>> started = progress(runId).started();
                scala.collection.Map<String, String> properties = DeltaTable.forPath(spark, path(runId)).detail()
                        .select("properties").first().getMap(0);
                if (started.isEmpty() && properties.get(LEGACY_LOAD_STARTED_PROPERTY).isDefined()) {
                    // Marked by a version that recorded the start on the plan table, and cut it into batches
                    // differently: started, with nothing known, so its keys are resent and it is never resumed.
                    started = Optional.of(Map.of());
                }
                String base = properties.get(BASE_VERSION_PROPERTY).getOrElse(() -> "");
                if (started.isPresent() && base.equals(String.valueOf(baseVersion.orElse(NO_SNAPSHOT)))) {
                    interrupted.add(new StartedPlan(runId,
                            Optional.ofNullable(started.get().get(MODEL_FINGERPRINT)).map(ModelFingerprint::decode),
                            Optional.ofNullable(started.get().get(LOAD_SETTINGS))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the plans in " + root, e);
        }
        interrupted.sort(java.util.Comparator.comparing(StartedPlan::runId));
        return interrupted;
    }

    /** The load progress log of the plan run {@code runId} made (see {@link LoadProgress}). */
    public LoadProgress progress(String runId) {
        return new LoadProgress(layout.progress(runId), spark.sparkContext().hadoopConfiguration());
    }

    private String path(String runId) {
        return layout.plans() + "/" + runId;
    }
}

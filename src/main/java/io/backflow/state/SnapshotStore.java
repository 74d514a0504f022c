package io.backflow.state;

import io.backflow.BackflowException;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.diff.RowHash;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * The sync's snapshot: a Delta table holding, per key, the row hash and the synced values last
 * delivered. The diff reads only the key and hash columns; a commit applies only delivered changes.
 *
 * <p>A commit takes two Delta commits: a delete-only MERGE removes every delivered key (deletion vectors
 * on, so Delta reads only the key column and rewrites no file), then an append adds the delivered
 * inserts and updates. One MERGE that updates and inserts as well must read every column of every file
 * holding a changed key, which for changes spread over the table is the whole table: the benchmark
 * measured it 1.3–1.4× slower at 10M rows (see docs/performance.md). Up to
 * {@link #BROADCAST_KEYS} delivered keys are broadcast to the MERGE, so the snapshot's keys are not
 * shuffled: at 100M rows and 2M changes that made the commit 3× faster. Between the two commits the
 * snapshot lacks the delivered keys; the first commit's metadata says so and names the plan, and
 * {@link #incompleteCommit} lets the next run add the rows before it diffs (see {@link #completeCommit}).
 */
public final class SnapshotStore {

    /** Table property holding the key columns (a JSON list), to detect a changed key. */
    static final String KEY_PROPERTY = "backflow.key";
    /** Table property holding the {@link RowHash#SCHEME} the hashes were computed with; absent means 1. */
    static final String HASH_SCHEME_PROPERTY = "backflow.hash_scheme";
    private static final String ALIGNMENT_METADATA_PREFIX = "backflow alignment for run ";
    private static final String RUN_METADATA_PREFIX = "backflow run ";
    private static final String KEYS_REMOVED = " removed its keys; rows to add from plan ";
    private static final String OPERATIONS = " for operations ";
    private static final int HISTORY_LOOKBACK = 20;
    /**
     * The most delivered keys the delete-only MERGE broadcasts: every executor then holds them in memory
     * (8 bytes and some overhead per long key, the key's bytes for a string), built on the driver.
     * Beyond this Spark's shuffle join runs, slower but bounded in memory.
     */
    static final long BROADCAST_KEYS = 5_000_000L;
    private static final String USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
    private static final String MATERIALIZE_SOURCE = "spark.databricks.delta.merge.materializeSource";

    private final SparkSession spark;
    private final String path;

    public SnapshotStore(SparkSession spark, StateLayout layout) {
        this.spark = spark;
        this.path = layout.snapshot();
    }

    public boolean exists() {
        return DeltaTable.isDeltaTable(spark, path);
    }

    /** The snapshot's current Delta version, or empty before the first commit. */
    public Optional<Long> version() {
        if (!exists()) {
            return Optional.empty();
        }
        Row latest = DeltaTable.forPath(spark, path).history(1).select("version").first();
        return Optional.of(latest.getLong(0));
    }

    /** Rows in the snapshot; answered from Delta's file statistics, without scanning data. */
    public long rowCount() {
        return exists() ? spark.read().format("delta").load(path).count() : 0L;
    }

    /**
     * The key columns and {@link Columns#HASH} of every snapshot row, as {@link #alignTo} would store them (computed
     * lazily when the snapshot is not aligned yet); an empty dataset with that schema before the first commit. Only
     * these columns are read from the Parquet files of an aligned snapshot.
     *
     * @param key the key columns
     * @param modelValues the model's key and synced columns, as the model types them
     */
    public Dataset<Row> keysAndHashes(List<String> key, StructType modelValues) {
        return aligned(key, modelValues, List.of(Columns.HASH));
    }

    /**
     * The key columns and the field hash of each of the model's synced columns, for every snapshot row, as
     * {@link #alignTo} would store them; empty before the first commit.
     */
    public Dataset<Row> fieldHashes(List<String> key, StructType modelValues) {
        return aligned(key, modelValues, Arrays.stream(modelValues.fieldNames()).filter(name -> !key.contains(name))
                .map(Columns::fieldHash).toList());
    }

    private Dataset<Row> aligned(List<String> key, StructType modelValues, List<String> hashColumns) {
        if (!exists()) {
            StructType schema = new StructType();
            for (String name : key) {
                schema = schema.add(modelValues.apply(name));
            }
            for (String name : hashColumns) {
                schema = schema.add(name, DataTypes.LongType, true);
            }
            return spark.createDataFrame(List.<Row>of(), schema);
        }
        Dataset<Row> rows = read();
        int scheme = scheme();
        if (!SnapshotAlignment.aligned(rows.schema(), scheme, key, modelValues)) {
            rows = SnapshotAlignment.align(rows, scheme, key, modelValues);
        }
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(col(Columns.quoted(name))));
        hashColumns.forEach(name -> selected.add(col(Columns.quoted(name))));
        return rows.select(selected.toArray(Column[]::new));
    }

    /**
     * Stores the snapshot aligned with the model's synced columns and the current hash scheme, in one pass (two
     * Delta commits: the rows, then the scheme property), if it is not already (see {@link SnapshotAlignment}): keys and values stay, so it claims
     * nothing new; only hashes and column types change.
     *
     * @return the schema and scheme the snapshot had before, if it was rewritten
     */
    public Optional<Alignment> alignTo(List<String> key, StructType modelValues, String runId) {
        if (!exists()) {
            return Optional.empty();
        }
        Dataset<Row> rows = read();
        int scheme = scheme();
        if (SnapshotAlignment.aligned(rows.schema(), scheme, key, modelValues)) {
            return Optional.empty();
        }
        long rowsBefore = rowCount();
        Dataset<Row> aligned = SnapshotAlignment.align(rows, scheme, key, modelValues);
        // Both commits (the rewrite, then the scheme property) are marked, so sameStateVersions sees through them;
        // a run that dies between them leaves the scheme unmarked, and the next run re-hashes the same values.
        withUserMetadata(ALIGNMENT_METADATA_PREFIX + runId, () -> DeltaTables.overwriteWith(spark, path, aligned,
                snapshotProperties(key)));
        return Optional.of(new Alignment(scheme, rows.schema(), rowsBefore, version().orElseThrow()));
    }

    /**
     * A snapshot rewrite by {@link #alignTo}.
     *
     * @param schemeBefore the hash scheme the snapshot had
     * @param schemaBefore the snapshot's columns before
     * @param rows the rows rewritten
     * @param version the version the rewrite made
     */
    public record Alignment(int schemeBefore, StructType schemaBefore, long rows, long version) {
    }

    /**
     * The versions whose state {@code version} holds unchanged: itself, and the versions before it whose
     * successors up to it are only {@link #alignTo} rewrites. A plan made against any of them was made
     * against the same delivered state.
     */
    public List<Long> sameStateVersions(long version) {
        List<Long> versions = new ArrayList<>(List.of(version));
        List<Row> history = DeltaTable.forPath(spark, path).history(HISTORY_LOOKBACK)
                .select("version", "userMetadata").collectAsList();
        for (Row commit : history) {
            long commitVersion = commit.getLong(0);
            if (commitVersion == versions.get(versions.size() - 1) && !commit.isNullAt(1)
                    && commit.getString(1).startsWith(ALIGNMENT_METADATA_PREFIX) && commitVersion > 0) {
                versions.add(commitVersion - 1);
            }
        }
        return versions;
    }

    /** The hash scheme of the snapshot's stored hashes ({@link RowHash#SCHEME} for a new snapshot). */
    public int scheme() {
        if (!exists()) {
            return RowHash.SCHEME;
        }
        scala.Option<String> recorded = properties().get(HASH_SCHEME_PROPERTY);
        return recorded.isDefined() ? Integer.parseInt(recorded.get()) : 1;
    }

    private scala.collection.Map<String, String> properties() {
        return DeltaTable.forPath(spark, path).detail().select("properties").first().getMap(0);
    }

    private static Map<String, String> snapshotProperties(List<String> key) {
        return Map.of(KEY_PROPERTY, KeyProperty.encode(key), HASH_SCHEME_PROPERTY, String.valueOf(RowHash.SCHEME));
    }

    /** The snapshot's columns (keys, synced columns, hash), or empty before the first commit. */
    public Optional<StructType> schema() {
        return exists() ? Optional.of(read().schema()) : Optional.empty();
    }

    /**
     * The key columns the snapshot was built with, as recorded in its table properties; empty before the
     * first commit.
     */
    public Optional<List<String>> key() {
        if (!exists()) {
            return Optional.empty();
        }
        scala.Option<String> recorded = properties().get(KEY_PROPERTY);
        return recorded.isDefined() ? Optional.of(KeyProperty.decode(recorded.get())) : Optional.empty();
    }

    /**
     * The run whose commit made the current version (from the commit's user metadata), or empty before
     * the first commit. A run whose commit stopped half way counts: its keys are out of the snapshot.
     */
    public Optional<String> lastCommittedRunId() {
        return latestMetadata().map(metadata -> {
            String run = metadata.substring(RUN_METADATA_PREFIX.length());
            int removed = run.indexOf(KEYS_REMOVED);
            return removed < 0 ? run : run.substring(0, removed);
        });
    }

    /**
     * What a commit takes in: run {@code runId} sent the {@code operations} of plan {@code planRunId} (its
     * own, or an interrupted run's it resumed); all of them but its failures were delivered.
     */
    public record Delivery(String runId, String planRunId, Set<Operation> operations) {
    }

    /** The delivery whose commit stopped between removing its keys and adding their rows, if the latest did. */
    public Optional<Delivery> incompleteCommit() {
        return latestMetadata().filter(metadata -> metadata.contains(KEYS_REMOVED)).map(metadata -> {
            String run = metadata.substring(RUN_METADATA_PREFIX.length());
            int removed = run.indexOf(KEYS_REMOVED);
            String plan = run.substring(removed + KEYS_REMOVED.length());
            int operations = plan.indexOf(OPERATIONS);
            Set<Operation> sent = EnumSet.noneOf(Operation.class);
            Arrays.stream(plan.substring(operations + OPERATIONS.length()).split(","))
                    .forEach(name -> sent.add(Operation.valueOf(name)));
            return new Delivery(run.substring(0, removed), plan.substring(0, operations), sent);
        });
    }

    /**
     * The user metadata of the latest of Backflow's commits. Commits by others (a constraint added, an
     * OPTIMIZE) are looked past, up to {@link #HISTORY_LOOKBACK} of them.
     */
    private Optional<String> latestMetadata() {
        if (!exists()) {
            return Optional.empty();
        }
        return DeltaTable.forPath(spark, path).history(HISTORY_LOOKBACK).select("userMetadata").collectAsList()
                .stream().filter(row -> !row.isNullAt(0) && row.getString(0).startsWith(RUN_METADATA_PREFIX))
                .map(row -> row.getString(0)).findFirst();
    }

    /** The full snapshot (keys, values, hash), e.g. to compare with a destination. */
    public Dataset<Row> read() {
        return spark.read().format("delta").load(path);
    }

    /**
     * The snapshot as it was at an earlier version (Delta time travel). Lazy: data files removed by VACUUM
     * are only found missing when the rows are read.
     *
     * @throws BackflowException {@code INVALID_INPUT} if the Delta log no longer has that version
     */
    public Dataset<Row> readVersion(long version) {
        try {
            Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path);
            rows.schema();
            return rows;
        } catch (Exception e) {
            // Spark's AnalysisException and Delta's errors are thrown undeclared from Scala.
            throw new BackflowException(BackflowException.Category.INVALID_INPUT,
                    "Cannot read snapshot version " + version + " of " + path + ": " + e.getMessage()
                            + " (Delta keeps old versions only until their log entries expire or VACUUM removes "
                            + "their files)", e);
        }
    }

    /**
     * Applies delivered changes: inserts and updates take the change's values and hash, deletes remove
     * the key. Keys not in {@code delivered} keep their old state, so failed records show up again in
     * the next run's diff. Two Delta commits (see the class comment); the second one's user metadata is
     * the run id.
     *
     * @param delivered plan rows that were delivered: {@link Columns#OPERATION}, keys, values, hash
     * @param deliveredRows how many rows {@code delivered} has, to choose how the MERGE joins
     * @param key the key columns
     * @param columns the synced columns
     * @param delivery where {@code delivered} comes from; its run id is recorded in the commit info, and
     *     all of it in the first commit's, for {@link #completeCommit}
     * @return the new snapshot version
     * @throws IllegalStateException if the rows could not be added after the keys were removed; the
     *     snapshot then reports an {@link #incompleteCommit}
     */
    public long commit(Dataset<Row> delivered, long deliveredRows, List<String> key, List<String> columns,
            Delivery delivery) {
        List<String> stored = new ArrayList<>(key);
        stored.addAll(columns);
        columns.stream().map(Columns::fieldHash).filter(List.of(delivered.schema().fieldNames())::contains)
                .forEach(stored::add);
        stored.add(Columns.HASH);
        StructType target = select(delivered.schema(), stored);
        String runId = delivery.runId();
        if (!exists()) {
            DeltaTables.createIfMissing(spark, path, target, true, snapshotProperties(key));
        } else {
            new SnapshotSchemaEvolution(spark, path).evolve(read().schema(), target, key);
            String operations = delivery.operations().stream().map(Operation::name).collect(Collectors.joining(","));
            withUserMetadata(RUN_METADATA_PREFIX + runId + KEYS_REMOVED + delivery.planRunId() + OPERATIONS
                    + operations, () -> removeKeys(delivered, deliveredRows <= BROADCAST_KEYS, key));
        }
        try {
            addRows(delivered, runId);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The snapshot commit of run " + runId + " removed the delivered keys "
                    + "but could not add their rows (" + e.getMessage() + "); the next run adds them from plan "
                    + delivery.planRunId() + " before it diffs", e);
        }
        return version().orElseThrow();
    }

    /**
     * Adds the rows of an {@link #incompleteCommit}: {@code delivered} must be what that delivery was,
     * computed as its run did: the plan's rows of its operations, minus its failures.
     *
     * @return the new snapshot version
     */
    public long completeCommit(Delivery incomplete, Dataset<Row> delivered) {
        addRows(delivered, incomplete.runId());
        return version().orElseThrow();
    }

    private static StructType select(StructType schema, List<String> names) {
        List<StructField> fields = new ArrayList<>();
        names.forEach(name -> fields.add(schema.apply(name)));
        return new StructType(fields.toArray(StructField[]::new));
    }

    /**
     * Removes every delivered key, whatever its operation: the rows that stay are added back new. Spark
     * broadcasts the keys by itself only below its 10 MB estimate threshold, which 2M changes exceed.
     */
    private void removeKeys(Dataset<Row> delivered, boolean broadcastKeys, List<String> key) {
        String condition = key.stream()
                .map(name -> "snapshot." + Columns.quoted(name) + " = change." + Columns.quoted(name))
                .collect(Collectors.joining(" AND "));
        Column[] keyColumns = key.stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);
        Dataset<Row> keys = delivered.select(keyColumns);
        // The delivered keys are the plan minus the run's failures: two tables that no longer change, so the
        // source is deterministic. Delta counts any join in a source as possibly not, and would first copy it to
        // the executors' disks: a wasted pass, which also leaves the broadcast hint outside any join (Spark then
        // warns that the hint "is not part of a join relation").
        withSessionConf(MATERIALIZE_SOURCE, "none", () -> DeltaTable.forPath(spark, path).as("snapshot")
                .merge((broadcastKeys ? functions.broadcast(keys) : keys).as("change"), condition)
                .whenMatched().delete()
                .execute());
    }

    /** Appends the delivered inserts and updates, in the snapshot's columns (schema evolution is done). */
    private void addRows(Dataset<Row> delivered, String runId) {
        Column[] stored = Arrays.stream(read().schema().fieldNames()).map(name -> col(Columns.quoted(name)))
                .toArray(Column[]::new);
        delivered.where(col(Columns.OPERATION).notEqual(Operation.DELETE.name())).select(stored)
                .write().format("delta").mode("append").option("userMetadata", RUN_METADATA_PREFIX + runId)
                .save(path);
    }

    /** Delta's MERGE takes its commit's user metadata from the session, not from an option. */
    private void withUserMetadata(String metadata, Runnable action) {
        withSessionConf(USER_METADATA, metadata, action);
    }

    /** Runs {@code action} with a session setting, restoring the setting's earlier state after. */
    private void withSessionConf(String key, String value, Runnable action) {
        scala.Option<String> before = spark.conf().getOption(key);
        spark.conf().set(key, value);
        try {
            action.run();
        } finally {
            if (before.isDefined()) {
                spark.conf().set(key, before.get());
            } else {
                spark.conf().unset(key);
            }
        }
    }
}

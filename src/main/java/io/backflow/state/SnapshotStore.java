package io.backflow.state;

import io.backflow.BackflowException;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * The sync's snapshot: a Delta table holding, per key, the row hash and the synced values last
 * delivered. The diff reads only the key and hash columns; a commit applies only delivered changes,
 * with one MERGE (deletion vectors on, so unchanged rows are not rewritten).
 */
public final class SnapshotStore {

    /** Table property holding the key columns (a JSON list), to detect a changed key. */
    static final String KEY_PROPERTY = "backflow.key";
    private static final String RUN_METADATA_PREFIX = "backflow run ";

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
     * The key columns and {@link Columns#HASH} of every snapshot row; an empty dataset with that schema
     * before the first commit. Only these columns are read from the Parquet files.
     *
     * @param keySchema the key columns' fields, as the model types them
     */
    public Dataset<Row> keysAndHashes(StructType keySchema) {
        List<String> names = List.of(keySchema.fieldNames());
        if (!exists()) {
            StructType schema = keySchema.add(Columns.HASH, DataTypes.LongType, false);
            return spark.createDataFrame(List.<Row>of(), schema);
        }
        List<Column> columns = new ArrayList<>();
        names.forEach(name -> columns.add(col(Columns.quoted(name))));
        columns.add(col(Columns.HASH));
        return spark.read().format("delta").load(path).select(columns.toArray(Column[]::new));
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
        Row detail = DeltaTable.forPath(spark, path).detail().select("properties").first();
        scala.Option<String> recorded = detail.<String, String>getMap(0).get(KEY_PROPERTY);
        return recorded.isDefined() ? Optional.of(KeyProperty.decode(recorded.get())) : Optional.empty();
    }

    /**
     * The run whose commit made the current version (from the commit's user metadata), or empty before
     * the first commit.
     */
    public Optional<String> lastCommittedRunId() {
        if (!exists()) {
            return Optional.empty();
        }
        Row latest = DeltaTable.forPath(spark, path).history(1).select("userMetadata").first();
        String metadata = latest.isNullAt(0) ? "" : latest.getString(0);
        return metadata.startsWith(RUN_METADATA_PREFIX)
                ? Optional.of(metadata.substring(RUN_METADATA_PREFIX.length())) : Optional.empty();
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
     * Applies delivered changes in one Delta commit whose user metadata is the run id: inserts and
     * updates take the change's values and hash, deletes remove the key. Keys not in {@code delivered}
     * keep their old state, so failed records show up again in the next run's diff.
     *
     * @param delivered plan rows that were delivered: {@link Columns#OPERATION}, keys, values, hash
     * @param key the key columns
     * @param columns the synced columns
     * @param runId recorded in the commit info
     * @return the new snapshot version
     */
    public long commit(Dataset<Row> delivered, List<String> key, List<String> columns, String runId) {
        List<String> stored = new ArrayList<>(key);
        stored.addAll(columns);
        stored.add(Columns.HASH);
        StructType target = select(delivered.schema(), stored);
        if (!exists()) {
            DeltaTables.createIfMissing(spark, path, target, true, Map.of(KEY_PROPERTY, KeyProperty.encode(key)));
        } else {
            new SnapshotSchemaEvolution(spark, path).evolve(read().schema(), target, key);
        }
        String metadataKey = "spark.databricks.delta.commitInfo.userMetadata";
        spark.conf().set(metadataKey, RUN_METADATA_PREFIX + runId);
        try {
            merge(delivered, key, stored);
        } finally {
            spark.conf().unset(metadataKey);
        }
        return version().orElseThrow();
    }

    private static StructType select(StructType schema, List<String> names) {
        List<StructField> fields = new ArrayList<>();
        names.forEach(name -> fields.add(schema.apply(name)));
        return new StructType(fields.toArray(StructField[]::new));
    }

    private void merge(Dataset<Row> delivered, List<String> key, List<String> stored) {
        String condition = key.stream()
                .map(name -> "snapshot." + Columns.quoted(name) + " = change." + Columns.quoted(name))
                .collect(Collectors.joining(" AND "));
        Map<String, String> assignments = new LinkedHashMap<>();
        stored.forEach(name -> assignments.put(Columns.quoted(name), "change." + Columns.quoted(name)));
        String isDelete = "change." + Columns.OPERATION + " = '" + Operation.DELETE.name() + "'";
        DeltaMergeBuilder merge = DeltaTable.forPath(spark, path).as("snapshot")
                .merge(delivered.as("change"), condition)
                .whenMatched(isDelete).delete()
                .whenMatched().updateExpr(assignments)
                .whenNotMatched("NOT (" + isDelete + ")").insertExpr(assignments);
        merge.execute();
    }
}

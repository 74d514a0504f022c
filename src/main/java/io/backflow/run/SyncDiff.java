package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.diff.Differ;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.ModelFingerprint;
import io.backflow.load.ChangeLayout;
import io.backflow.source.Sources;
import io.backflow.state.PlanStore;
import io.backflow.state.SnapshotStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The lazy diff of a sync's model against its snapshot, and the layout of the change rows it yields.
 * Building it reads only schemas; the data is read when {@code changes} is written.
 */
record SyncDiff(Dataset<Row> changes, Dataset<Row> snapshotFieldHashes, ChangeLayout layout,
        List<String> schemaChanges, Optional<SnapshotStore.Alignment> alignment, Observation modelObservation) {

    /**
     * @param fullResync treat every key in both model and snapshot as an update
     * @throws io.backflow.BackflowException {@code INVALID_INPUT} for missing columns or a changed key
     */
    static SyncDiff of(SparkSession spark, SyncConfig config, SnapshotStore snapshot, boolean fullResync) {
        return of(spark, config, snapshot, fullResync, Optional::empty, Optional.empty());
    }

    /**
     * As above, forcing a change for each pending key (see {@link Differ}); {@code pending} is asked only
     * once the key is known to be unchanged, since it reads earlier runs' keys. With {@code alignFor} (a run
     * id), the snapshot is first stored aligned with the model (see {@link SnapshotStore#alignTo}); without,
     * the diff aligns it on the fly and stores nothing.
     */
    static SyncDiff of(SparkSession spark, SyncConfig config, SnapshotStore snapshot, boolean fullResync,
            Supplier<Optional<Dataset<Row>>> pending, Optional<String> alignFor) {
        Observation modelObservation = new Observation("backflow-model-fingerprint");
        KeyedModel model = ModelFingerprint.observe(keyedModel(spark, config), modelObservation);
        StructType values = model.valueSchema();
        List<String> schemaChanges = SchemaChanges.describe(config.name(), snapshot.schema(), snapshot.key(), values,
                model.key());
        Optional<SnapshotStore.Alignment> alignment = alignFor.flatMap(runId -> snapshot.alignTo(model.key(), values,
                runId));
        Dataset<Row> changes = Differ.changes(model, snapshot.keysAndHashes(model.key(), values), fullResync,
                pending.get(), Differ.FieldDetection.CHANGED_COLUMNS);
        // The stored plan is laid out without the diff's SENDS_ALL, with the changed columns named instead.
        StructType planSchema = new StructType(java.util.Arrays.stream(changes.schema().fields())
                .filter(field -> !field.name().equals(Columns.SENDS_ALL)).toArray(StructField[]::new))
                .add(Columns.CHANGED, DataTypes.createArrayType(DataTypes.StringType), true);
        return new SyncDiff(changes, snapshot.fieldHashes(model.key(), values), new ChangeLayout(planSchema,
                model.key(), model.columns(), config.mode(), config.updateFields()), schemaChanges, alignment,
                modelObservation);
    }

    /** Stores the changes as run {@code runId}'s plan, each update naming its changed columns. */
    void store(PlanStore plans, String runId, Optional<Long> baseVersion) {
        plans.write(changes, runId, baseVersion, snapshotFieldHashes, layout.key(), layout.columns());
    }

    /** The sync's model, keyed and hashed; lazy. */
    static KeyedModel keyedModel(SparkSession spark, SyncConfig config) {
        return KeyedModel.of(config.name(), Sources.read(spark, config.name(), config.source()), config.key(),
                config.columns());
    }

    /**
     * The fingerprint of the model this diff read, once {@link #changes} has been written; empty in the rare
     * case Spark reports no metrics (see {@link ModelFingerprint#of}), which makes the plan not resumable.
     */
    Optional<ModelFingerprint> modelFingerprint() {
        // Spark posts the metrics to its listener bus right after the action; seconds are plenty.
        return ModelFingerprint.of(modelObservation, Duration.ofSeconds(10));
    }
}

package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.diff.Columns;
import io.backflow.diff.Differ;
import io.backflow.diff.KeyedModel;
import io.backflow.state.SnapshotStore;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;

/**
 * The change set that takes a destination back to the state it had before a run: the snapshot as it was
 * then (Delta time travel) diffed against the snapshot now, as if the old snapshot were the model. Keys
 * added since become deletes, keys removed since become inserts of their old values, changed keys
 * become updates to their old values; keys whose state at the destination is uncertain (see
 * {@link PendingKeys}) are resent from the old snapshot too. The snapshot holds the values last
 * delivered, so this restores what Backflow wrote; keys whose delivery failed were never changed.
 *
 * @param changes the plan rows, laid out as a diff's
 * @param snapshotFieldHashes the current snapshot's key and field-hash columns, to name each update's changes
 * @param key the key columns
 * @param columns the synced columns of the restored state
 * @param targetVersion the snapshot version restored; empty for the state before the first run
 */
record UndoPlan(Dataset<Row> changes, Dataset<Row> snapshotFieldHashes, List<String> key, List<String> columns,
        Optional<Long> targetVersion) {

    /**
     * The plan undoing run {@code undoneRunId}: restoring the snapshot version it started from.
     *
     * @param pending keys to resend whatever the snapshots say
     * @throws BackflowException {@code INVALID_INPUT} for an unknown run, a run that committed nothing, or a
     *     snapshot version that is gone
     */
    static UndoPlan of(SparkSession spark, String syncName, RunHistory history, SnapshotStore snapshot,
            String undoneRunId, Supplier<Optional<Dataset<Row>>> pending) {
        Row undone = history.find(undoneRunId).orElseThrow(() -> refused(syncName, undoneRunId,
                "no such run (see 'history')"));
        if (undone.isNullAt(undone.fieldIndex("snapshot_version_after"))) {
            throw refused(syncName, undoneRunId, "it committed nothing to the snapshot, so it changed nothing that "
                    + "needs undoing");
        }
        int before = undone.fieldIndex("snapshot_version_before");
        Optional<Long> target = undone.isNullAt(before) ? Optional.empty() : Optional.of(undone.getLong(before));
        return restoring(spark, syncName, snapshot, target, pending.get());
    }

    private static BackflowException refused(String syncName, String runId, String reason) {
        return new BackflowException(BackflowException.Category.INVALID_INPUT,
                "Cannot undo run " + runId + " of '" + syncName + "': " + reason);
    }

    private static UndoPlan restoring(SparkSession spark, String syncName, SnapshotStore snapshot,
            Optional<Long> targetVersion,
            Optional<Dataset<Row>> pending) {
        List<String> key = snapshot.key().orElseThrow(() -> new BackflowException(
                BackflowException.Category.INVALID_INPUT, "Nothing to undo: the sync has no snapshot"));
        StructType current = snapshot.schema().orElseThrow();
        Dataset<Row> target = targetVersion.map(snapshot::readVersion)
                .orElseGet(() -> spark.createDataFrame(List.<Row>of(), current));
        List<String> columns = new ArrayList<>();
        for (String name : target.schema().fieldNames()) {
            if (!key.contains(name) && !name.startsWith(Columns.RESERVED_PREFIX)) {
                columns.add(name);
            }
        }
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(col(Columns.quoted(name))));
        columns.forEach(name -> selected.add(col(Columns.quoted(name))));
        // Hashed anew from the values, as a model would be: the old version may use an older hash scheme.
        KeyedModel restored = KeyedModel.of(syncName, target.select(selected.toArray(Column[]::new)), key,
                Optional.of(columns));
        return new UndoPlan(Differ.changes(restored, snapshot.keysAndHashes(key, restored.valueSchema()), false,
                pending, Differ.FieldDetection.CHANGED_COLUMNS), snapshot.fieldHashes(key, restored.valueSchema()),
                key, columns, targetVersion);
    }
}

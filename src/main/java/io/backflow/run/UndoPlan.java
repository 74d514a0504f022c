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

import static org.apache.spark.sql.functions.col;

/**
 * The change set that takes a destination back to the state it had before a run: the snapshot as it was
 * then (Delta time travel) diffed against the snapshot now, as if the old snapshot were the model. Keys
 * added since become deletes, keys removed since become inserts of their old values, changed keys
 * become updates to their old values. The snapshot holds the values last delivered, so this restores what
 * Backflow wrote; keys whose delivery failed were never changed and are left alone.
 *
 * @param changes the plan rows, laid out as a diff's
 * @param key the key columns
 * @param columns the synced columns of the restored state
 */
record UndoPlan(Dataset<Row> changes, List<String> key, List<String> columns) {

    /**
     * @param targetVersion the snapshot version to restore; empty to remove everything the sync wrote
     * @throws BackflowException {@code INVALID_INPUT} if there is nothing to undo or the old version is gone
     */
    static UndoPlan restoring(SparkSession spark, SnapshotStore snapshot, Optional<Long> targetVersion) {
        List<String> key = snapshot.key().orElseThrow(() -> new BackflowException(
                BackflowException.Category.INVALID_INPUT, "Nothing to undo: the sync has no snapshot"));
        StructType current = snapshot.schema().orElseThrow();
        Dataset<Row> target = targetVersion.map(snapshot::readVersion)
                .orElseGet(() -> spark.createDataFrame(List.<Row>of(), current));
        List<String> columns = new ArrayList<>();
        for (String name : target.schema().fieldNames()) {
            if (!key.contains(name) && !name.equals(Columns.HASH)) {
                columns.add(name);
            }
        }
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(col(Columns.quoted(name))));
        columns.forEach(name -> selected.add(col(Columns.quoted(name))));
        selected.add(col(Columns.HASH));
        KeyedModel restored = new KeyedModel(target.select(selected.toArray(Column[]::new)), key, columns);
        StructType keySchema = new StructType();
        for (String name : key) {
            keySchema = keySchema.add(current.apply(name));
        }
        return new UndoPlan(Differ.changes(restored, snapshot.keysAndHashes(keySchema), false), key, columns);
    }
}

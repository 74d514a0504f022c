package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.diff.Columns;
import io.backflow.diff.ValueFamily;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares the model's columns with the snapshot's and says what changed and what the run does about
 * it. Values are compared by value, not by type (see {@link io.backflow.diff.RowHash}): a column retyped within
 * its {@link ValueFamily} sends only the rows whose value changed; a column retyped across families, or new,
 * is sent for every row (the guards apply as to any change); a removed column is no longer sent. A changed
 * key is refused: the snapshot's keys would no longer identify the destination's rows.
 */
final class SchemaChanges {

    private SchemaChanges() {
    }

    /**
     * @param syncName for messages
     * @param snapshotSchema the snapshot's columns, empty before the first commit
     * @param snapshotKey the key the snapshot was built with, empty if unknown
     * @param model the model's key and synced columns
     * @param key the configured key
     * @return one sentence per change; empty if none
     * @throws BackflowException {@code INVALID_INPUT} if the key changed
     */
    static List<String> describe(String syncName, Optional<StructType> snapshotSchema,
            Optional<List<String>> snapshotKey, StructType model, List<String> key) {
        if (snapshotSchema.isEmpty()) {
            return List.of();
        }
        StructType snapshot = snapshotSchema.get();
        List<String> previousKey = snapshotKey.orElse(key);
        boolean keyTypesChanged = key.stream().anyMatch(name -> List.of(snapshot.fieldNames()).contains(name)
                && !snapshot.apply(name).dataType().equals(model.apply(name).dataType()));
        if (!previousKey.equals(key) || keyTypesChanged) {
            throw new BackflowException(BackflowException.Category.INVALID_INPUT, "Cannot sync '" + syncName
                    + "': the key changed from " + describe(snapshot, previousKey) + " to " + describe(model, key)
                    + ", so the snapshot no longer identifies the destination's rows. Nothing was sent. Either "
                    + "restore the old key, or run `reset <config> --yes` and then `run` to send every row again "
                    + "under the new key (clear the destination table first in mirror mode).");
        }
        List<String> changes = new ArrayList<>();
        for (StructField field : model.fields()) {
            if (key.contains(field.name())) {
                continue;
            }
            if (!List.of(snapshot.fieldNames()).contains(field.name())) {
                changes.add("column '" + field.name() + "' (" + field.dataType().simpleString()
                        + ") is new: every row is sent as an update to fill it");
                continue;
            }
            DataType before = snapshot.apply(field.name()).dataType();
            if (before.equals(field.dataType())) {
                continue;
            }
            String retyped = "column '" + field.name() + "' changed type from " + before.simpleString() + " to "
                    + field.dataType().simpleString();
            if (ValueFamily.signature(before).equals(ValueFamily.signature(field.dataType()))) {
                changes.add(retyped + ": values are compared by value, so only rows whose value changed are sent");
            } else {
                changes.add(retyped + " (" + ValueFamily.signature(before) + " to "
                        + ValueFamily.signature(field.dataType()) + "): the destination receives a different "
                        + "representation, so every row is sent as an update");
            }
        }
        for (StructField field : snapshot.fields()) {
            if (!field.name().startsWith(Columns.RESERVED_PREFIX) && !List.of(model.fieldNames()).contains(field.name())) {
                changes.add("column '" + field.name() + "' is no longer in the model: it is not sent any more "
                        + "(the destination keeps its last values); nothing is resent for it");
            }
        }
        return changes;
    }

    private static String describe(StructType schema, List<String> key) {
        List<String> parts = new ArrayList<>();
        for (String name : key) {
            boolean known = List.of(schema.fieldNames()).contains(name);
            parts.add(name + (known ? " " + schema.apply(name).dataType().simpleString() : ""));
        }
        return parts.toString();
    }
}

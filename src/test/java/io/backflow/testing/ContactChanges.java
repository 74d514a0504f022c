package io.backflow.testing;

import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Plan rows of {@link ApiSyncFixture#CONTACTS} as writers receive them, with the plan's list of an update's
 * changed columns ({@link Columns#CHANGED}): for tests that drive a destination's writer directly.
 */
public final class ContactChanges {

    /** {@code [_backflow_op, contact_id, email, score, _backflow_hash, _backflow_changed]}. */
    public static final StructType PLAN = new StructType()
            .add(Columns.OPERATION, DataTypes.StringType, false)
            .add("contact_id", DataTypes.LongType, false)
            .add("email", DataTypes.StringType, true)
            .add("score", DataTypes.IntegerType, true)
            .add(Columns.HASH, DataTypes.LongType, false)
            .add(Columns.CHANGED, DataTypes.createArrayType(DataTypes.StringType, false), true);

    private ContactChanges() {
    }

    public static ChangeLayout layout(SyncMode mode, UpdateFields updateFields) {
        return new ChangeLayout(PLAN, List.of("contact_id"), List.of("email", "score"), mode, updateFields);
    }

    public static Change insert(long id, String email, Integer score) {
        return change(Operation.INSERT, id, email, score, null);
    }

    /**
     * An update to {@code email} and {@code score} whose changed columns are {@code changed}, or null for an
     * update that must write every column.
     */
    public static Change update(long id, String email, Integer score, List<String> changed) {
        return change(Operation.UPDATE, id, email, score, changed);
    }

    public static Change delete(long id) {
        return change(Operation.DELETE, id, null, null, null);
    }

    private static Change change(Operation operation, long id, String email, Integer score, List<String> changed) {
        // A Scala sequence, as Spark gives an array column's value.
        Object list = changed == null ? null : scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(changed))
                .toList();
        return new Change(operation, RowFactory.create(operation.name(), id, email, score, 0L, list));
    }
}

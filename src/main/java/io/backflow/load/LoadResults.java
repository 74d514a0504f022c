package io.backflow.load;

import io.backflow.diff.Columns;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of the load's output: one row per record that was not delivered, with its key columns (as
 * typed in the model), operation, status, error class and message. This is also the failures table's
 * schema, so the commit can leave exactly these keys out of the snapshot.
 */
public final class LoadResults {

    public static final String STATUS = "status";
    public static final String STATUS_FAILED = "failed";
    public static final String STATUS_SKIPPED = "skipped";
    public static final String ERROR_CLASS = "error_class";
    public static final String ERROR_MESSAGE = "error_message";
    public static final String RECORDED_AT = "recorded_at";
    /** The synced columns a failed update changed (see {@link ChangeLayout#changedColumns}); null if it sent all. */
    public static final String CHANGED_COLUMNS = "changed_columns";

    private LoadResults() {
    }

    public static StructType schema(ChangeLayout layout) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(Columns.RUN_ID, DataTypes.StringType, false));
        layout.key().forEach(name -> fields.add(layout.field(name)));
        fields.add(DataTypes.createStructField(Columns.OPERATION, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(STATUS, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(ERROR_CLASS, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(ERROR_MESSAGE, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(RECORDED_AT, DataTypes.TimestampType, false));
        // Last: a failures table written before this column existed takes it by schema merge.
        fields.add(DataTypes.createStructField(CHANGED_COLUMNS, DataTypes.createArrayType(DataTypes.StringType),
                true));
        return new StructType(fields.toArray(StructField[]::new));
    }

    static Row row(ChangeLayout layout, String runId, Change change, RecordOutcome outcome, Instant now) {
        List<Object> values = new ArrayList<>();
        values.add(runId);
        layout.key().forEach(name -> values.add(layout.value(change.row(), name)));
        values.add(change.operation().name());
        values.add(outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        values.add(outcome.errorClass());
        values.add(outcome.message());
        values.add(Timestamp.from(now));
        values.add(layout.changedColumns(change.row()).map(columns -> columns.toArray(String[]::new)).orElse(null));
        return RowFactory.create(values.toArray());
    }
}

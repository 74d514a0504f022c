package io.backflow.load;

import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a plan row is laid out and what the sync does with it: the key and synced columns with their
 * Spark types, their positions in the row, and the sync mode. Serializable: shipped to the writers.
 *
 * @param planSchema the schema of the plan rows writers receive
 * @param key the key column names
 * @param columns the synced column names
 * @param mode the sync mode
 * @param updateFields what an update sends: see {@link #columnsToSend}
 */
public record ChangeLayout(StructType planSchema, List<String> key, List<String> columns, SyncMode mode,
        UpdateFields updateFields) implements Serializable {

    public ChangeLayout {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
    }

    public StructField field(String name) {
        return planSchema.apply(name);
    }

    /** Key columns then synced columns, as written to the destination. */
    public List<String> keyAndColumns() {
        List<String> all = new ArrayList<>(key);
        all.addAll(columns);
        return all;
    }

    /** The value of column {@code name} in a plan row (by position lookup; fine per batch). */
    public Object value(Row row, String name) {
        return row.get(planSchema.fieldIndex(name));
    }

    /** The key as text for messages: {@code customer_id=42, region=eu}. */
    public String describeKey(Row row) {
        StringBuilder text = new StringBuilder();
        for (String name : key) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(name).append('=').append(value(row, name));
        }
        return text.toString();
    }

    /**
     * The synced columns whose value changed, for an update that only needs to send those (see
     * {@link Columns#CHANGED}); empty when the change must send every column: an insert, a delete, an update of
     * a key whose state at the destination is uncertain, or a plan without the column.
     */
    public Optional<List<String>> changedColumns(Row row) {
        if (!List.of(planSchema.fieldNames()).contains(Columns.CHANGED)) {
            return Optional.empty();
        }
        int index = planSchema.fieldIndex(Columns.CHANGED);
        if (row.isNullAt(index) || !Operation.UPDATE.name().equals(row.getString(operationIndex()))) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(row.getList(index)));
    }

    /**
     * The synced columns a change writes, in layout order: with {@code update_fields: changed}, an update's
     * changed columns (see {@link #changedColumns}); otherwise every synced column. The key is not included.
     */
    public List<String> columnsToSend(Row row) {
        if (updateFields == UpdateFields.ALL) {
            return columns;
        }
        return changedColumns(row).map(changed -> columns.stream().filter(changed::contains).toList())
                .orElse(columns);
    }

    /** The key columns followed by {@link #columnsToSend}. */
    public List<String> keyAndColumnsToSend(Row row) {
        List<String> all = new ArrayList<>(key);
        all.addAll(columnsToSend(row));
        return all;
    }

    /** The position of the operation column. */
    public int operationIndex() {
        return planSchema.fieldIndex(Columns.OPERATION);
    }
}

package io.backflow.load;

import io.backflow.config.SyncMode;
import io.backflow.diff.Columns;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How a plan row is laid out and what the sync does with it: the key and synced columns with their
 * Spark types, their positions in the row, and the sync mode. Serializable: shipped to the writers.
 *
 * @param planSchema the schema of the plan rows writers receive
 * @param key the key column names
 * @param columns the synced column names
 * @param mode the sync mode
 */
public record ChangeLayout(StructType planSchema, List<String> key, List<String> columns, SyncMode mode)
        implements Serializable {

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

    /** The position of the operation column. */
    public int operationIndex() {
        return planSchema.fieldIndex(Columns.OPERATION);
    }
}

package io.backflow.diff;

import io.backflow.BackflowException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The model reduced to what a sync needs: the key columns, the synced columns and the row hash, in that order
 * (see {@link RowHash}). Key validity (nulls, duplicates) is checked during the diff, in the same pass.
 *
 * <p>The field hashes are not columns of {@link #rows}: the row hash is computed from them in the model's scan,
 * and the diff recomputes them ({@link #fieldHash}) only for the changes it keeps, after its join, so its
 * shuffle carries 8 bytes per row for the hash instead of 8 per synced column.
 *
 * @param rows key columns, synced columns, then {@link Columns#HASH}
 * @param key the key column names
 * @param columns the synced column names
 */
public record KeyedModel(Dataset<Row> rows, List<String> key, List<String> columns) {

    public KeyedModel {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
    }

    /**
     * Selects and hashes the model's columns.
     *
     * @param syncName for messages
     * @param source the source's rows
     * @param key the key columns
     * @param configuredColumns the synced columns, or empty for every non-key column
     * @throws BackflowException {@code INVALID_INPUT} naming missing or reserved columns
     */
    public static KeyedModel of(String syncName, Dataset<Row> source, List<String> key,
            Optional<List<String>> configuredColumns) {
        StructType schema = source.schema();
        List<String> available = Arrays.asList(schema.fieldNames());
        List<String> columns = configuredColumns.orElseGet(() -> available.stream()
                .filter(name -> !key.contains(name)).toList());
        List<String> problems = new ArrayList<>();
        for (String name : key) {
            if (!available.contains(name)) {
                problems.add("key column '" + name + "' is not in the model");
            }
        }
        for (String name : columns) {
            if (!available.contains(name)) {
                problems.add("column '" + name + "' is not in the model");
            }
        }
        for (String name : available) {
            if (name.startsWith(Columns.RESERVED_PREFIX)) {
                problems.add("column '" + name + "' uses the reserved prefix " + Columns.RESERVED_PREFIX
                        + "; rename it in the model query");
            }
        }
        if (!problems.isEmpty()) {
            throw new BackflowException(BackflowException.Category.INVALID_INPUT,
                    "Cannot sync '" + syncName + "': " + String.join("; ", problems) + ". The model has columns "
                            + available + ".");
        }
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(functions.col(Columns.quoted(name))));
        columns.forEach(name -> selected.add(functions.col(Columns.quoted(name))));
        selected.add(RowHash.row(columns, name -> RowHash.field(functions.col(Columns.quoted(name)),
                schema.apply(name).dataType())).as(Columns.HASH));
        return new KeyedModel(source.select(selected.toArray(Column[]::new)), key, columns);
    }

    /** The field hash of synced column {@code column}, computed from its value in whatever dataset holds it. */
    public Column fieldHash(String column) {
        return RowHash.field(functions.col(Columns.quoted(column)), rows.schema().apply(column).dataType());
    }

    /** The rows with each synced column's field hash before the row hash, as a snapshot stores them. */
    public Dataset<Row> withFieldHashes() {
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(functions.col(Columns.quoted(name))));
        columns.forEach(name -> selected.add(functions.col(Columns.quoted(name))));
        columns.forEach(name -> selected.add(fieldHash(name).as(Columns.fieldHash(name))));
        selected.add(functions.col(Columns.HASH));
        return rows.select(selected.toArray(Column[]::new));
    }

    /** The schema of the key columns followed by the synced columns. */
    public StructType valueSchema() {
        StructType schema = rows.schema();
        List<StructField> fields = new ArrayList<>();
        key.forEach(name -> fields.add(schema.apply(name)));
        columns.forEach(name -> fields.add(schema.apply(name)));
        return new StructType(fields.toArray(StructField[]::new));
    }
}

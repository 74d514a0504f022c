package io.backflow.state;

import io.backflow.diff.Columns;
import io.backflow.diff.RowHash;
import io.backflow.diff.ValueFamily;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * The snapshot brought in line with the model's synced columns and the current hash scheme, without changing
 * what it says was delivered: same keys, same values, so the diff compares like with like.
 * <ul>
 *   <li>A snapshot hashed with an older scheme ({@link RowHash#SCHEME}) gets its field and row hashes
 *       recomputed from the values it stores.</li>
 *   <li>A column retyped within its {@link ValueFamily} keeps its values (cast to the new type) and hashes:
 *       equal values send nothing.</li>
 *   <li>A column retyped across families keeps the old value's hash, so every row whose value is not null
 *       differs and is sent; its stored value becomes null until delivered.</li>
 *   <li>A column new to the model has no value and no hash: every row is sent to fill it.</li>
 *   <li>A column the model no longer has is dropped: nothing is sent for it.</li>
 * </ul>
 * The row hash is recomputed over the model's columns, so it equals the model's for every unchanged row.
 */
final class SnapshotAlignment {

    private SnapshotAlignment() {
    }

    /** Whether {@code snapshot} already has exactly the model's synced columns, types and the current scheme. */
    static boolean aligned(StructType snapshot, int scheme, List<String> key, StructType modelValues) {
        if (scheme != RowHash.SCHEME) {
            return false;
        }
        List<String> expected = new ArrayList<>();
        for (StructField field : modelValues.fields()) {
            if (key.contains(field.name())) {
                continue;
            }
            Optional<StructField> stored = field(snapshot, field.name());
            if (stored.isEmpty() || !stored.get().dataType().equals(field.dataType())
                    || field(snapshot, Columns.fieldHash(field.name())).isEmpty()) {
                return false;
            }
            expected.add(field.name());
            expected.add(Columns.fieldHash(field.name()));
        }
        expected.addAll(key);
        expected.add(Columns.HASH);
        return expected.size() == snapshot.fields().length;
    }

    /**
     * The snapshot's rows laid out as the model's: keys, synced columns, field hashes, row hash.
     *
     * @param snapshot every column of the snapshot
     * @param scheme the hash scheme its hashes were computed with
     * @param key the key columns
     * @param modelValues the model's key and synced columns with their types
     */
    static Dataset<Row> align(Dataset<Row> snapshot, int scheme, List<String> key, StructType modelValues) {
        StructType stored = snapshot.schema();
        List<Column> selected = new ArrayList<>();
        key.forEach(name -> selected.add(col(Columns.quoted(name))));
        List<String> columns = new ArrayList<>();
        List<Column> hashes = new ArrayList<>();
        for (StructField field : modelValues.fields()) {
            String name = field.name();
            if (key.contains(name)) {
                continue;
            }
            columns.add(name);
            Optional<StructField> old = field(stored, name);
            Column value;
            Column hash;
            if (old.isEmpty()) {
                value = lit(null).cast(field.dataType());
                hash = lit(null).cast("long");
            } else {
                Column oldValue = col(Columns.quoted(name));
                boolean keepsHashes = scheme == RowHash.SCHEME && field(stored, Columns.fieldHash(name)).isPresent();
                hash = keepsHashes ? col(Columns.quoted(Columns.fieldHash(name)))
                        : RowHash.field(oldValue, old.get().dataType());
                if (old.get().dataType().equals(field.dataType())) {
                    value = oldValue;
                } else if (ValueFamily.signature(old.get().dataType()).equals(ValueFamily.signature(field.dataType()))) {
                    // try_cast: a value the narrower type cannot hold becomes null rather than failing the run;
                    // its hash still says what was delivered.
                    value = expr("try_cast(" + Columns.quoted(name) + " AS " + field.dataType().sql() + ")");
                } else {
                    value = lit(null).cast(field.dataType());
                }
            }
            selected.add(value.as(name));
            hashes.add(hash.as(Columns.fieldHash(name)));
        }
        selected.addAll(hashes);
        Dataset<Row> laidOut = snapshot.select(selected.toArray(Column[]::new));
        return laidOut.withColumn(Columns.HASH,
                RowHash.row(columns, name -> col(Columns.quoted(Columns.fieldHash(name)))));
    }

    private static Optional<StructField> field(StructType schema, String name) {
        return List.of(schema.fieldNames()).contains(name) ? Optional.of(schema.apply(name)) : Optional.empty();
    }
}

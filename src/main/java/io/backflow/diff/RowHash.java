package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The row hash over the synced columns: one 64-bit value per row, computed by Spark's own
 * {@code xxhash64} so it stays inside whole-stage code generation (no UDF, no string building).
 *
 * <p>Bare {@code xxhash64(a, b)} skips nulls, so {@code (null,'x')} and {@code ('x',null)} would collide.
 * Here every column contributes its null flag before its value, so a value moving between nullable
 * columns changes the hash. Values are hashed one by one with the previous hash as seed, never
 * concatenated, so no separator exists that text could contain: {@code ('a|b','c')} and
 * {@code ('a','b|c')} differ. The first input is a fingerprint of the column names and types, so a
 * value's type is part of its identity and a schema change marks every row changed. Arrays, structs
 * and maps are hashed through their JSON text, because {@code xxhash64} skips null elements inside them
 * and rejects maps.
 *
 * <p>A 64-bit hash is compared per key (old vs new value of the same key), not across keys, so the
 * chance that a real change goes unnoticed is 2^-64 per changed row.
 */
public final class RowHash {

    /**
     * Nested values are hashed through JSON text, which must not depend on the session: timestamps at
     * full microsecond precision, in UTC.
     */
    private static final java.util.Map<String, String> JSON_OPTIONS = java.util.Map.of(
            "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
            "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
            "timeZone", "UTC");

    private RowHash() {
    }

    /** The hash column over {@code columns} of {@code schema}, in the order given. */
    public static Column over(StructType schema, List<String> columns) {
        List<Column> inputs = new ArrayList<>();
        inputs.add(functions.lit(fingerprint(schema, columns)));
        for (String name : columns) {
            StructField field = schema.apply(name);
            Column value = functions.col(Columns.quoted(name));
            inputs.add(value.isNull());
            inputs.add(isNested(field.dataType()) ? functions.to_json(functions.struct(value), JSON_OPTIONS) : value);
        }
        return functions.xxhash64(inputs.toArray(Column[]::new));
    }

    /** The column names and Spark types the hash covers, e.g. {@code email:string,ltv:decimal(12,2)}. */
    public static String fingerprint(StructType schema, List<String> columns) {
        StringBuilder fingerprint = new StringBuilder();
        for (String name : columns) {
            if (fingerprint.length() > 0) {
                fingerprint.append(',');
            }
            fingerprint.append(name.length()).append(':').append(name).append(':')
                    .append(schema.apply(name).dataType().catalogString());
        }
        return fingerprint.toString();
    }

    private static boolean isNested(DataType type) {
        return type instanceof ArrayType || type instanceof StructType || type instanceof MapType;
    }
}

package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Value hashes: one 64-bit hash per synced column's value (the <em>field hash</em>) and one per row over
 * them (the <em>row hash</em>), computed by Spark's own {@code xxhash64} so they stay inside whole-stage code
 * generation (no UDF, no string building for most types).
 *
 * <p>A value is hashed by its {@link ValueFamily} and its canonical value, never by its Spark type, so a
 * change of type that keeps every value changes no hash:
 * <ul>
 *   <li>numbers by numeric value: a whole number that fits a long as that long ({@code 5}, {@code 5.0} and
 *       {@code 5.00} are equal; {@code -0.0} is {@code 0}), any other as its shortest plain decimal text
 *       ({@code 2.50} is {@code 2.5}); a double or float as the decimal it holds exactly when that has at most
 *       18 fractional and 20 integer digits, otherwise as the double itself; every NaN is one value;</li>
 *   <li>text as text, binary as bytes, booleans as booleans, dates as days, timestamps as UTC microseconds
 *       (a timestamp without time zone is its own family);</li>
 *   <li>arrays element by element in order, maps entry by entry in any order, structs field by field by
 *       name, each element with these same rules.</li>
 * </ul>
 * Every family has its own tag in the hash, so a change across families ({@code 5} to {@code '5'}) changes
 * the hash. A null has one fixed hash, so {@code (null,'x')} and {@code ('x',null)} differ; values are hashed
 * one by one with the previous hash as seed, never concatenated, so {@code ('a|b','c')} and {@code ('a','b|c')}
 * differ.
 *
 * <p>The row hash combines the field hashes with their column names, in name order, so reordering the model's
 * columns changes nothing. A 64-bit hash is compared per key (old vs new value of the same key), not across
 * keys, so the chance that a real change goes unnoticed is 2^-64 per changed value.
 */
public final class RowHash {

    /**
     * The hash scheme this class implements, recorded in the snapshot's table properties. Scheme 1 (Backflow
     * 0.1) hashed each row's values with their column types and had no field hashes.
     */
    public static final int SCHEME = 2;

    /** The field hash of a null value. */
    static final long NULL_HASH = 0x6e756c6c5f76616cL;
    /** The field hash of a column the snapshot has no value for (a column new to the model). */
    public static final long MISSING_HASH = 0x6d697373696e6721L;

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    /** 2^63 as a double: doubles at or beyond it do not fit a long. */
    private static final double TWO_TO_63 = 9.223372036854775808E18;
    /** The canonical decimal a double is compared as: 20 integer and 18 fractional digits. */
    private static final DecimalType DOUBLE_AS_DECIMAL = DataTypes.createDecimalType(38, 18);
    private static final DecimalType WHOLE_DOUBLE_AS_DECIMAL = DataTypes.createDecimalType(38, 0);

    private RowHash() {
    }

    /** The field hash of {@code value}, a column of {@code type}; never null. */
    public static Column field(Column value, DataType type) {
        return when(value.isNull(), lit(NULL_HASH)).otherwise(nonNull(value, type));
    }

    /**
     * The row hash over field hashes: {@code fieldHashes} holds, per synced column name, the column holding its
     * field hash (null there means {@link #MISSING_HASH}).
     */
    public static Column row(List<String> columns, java.util.function.Function<String, Column> fieldHashes) {
        List<Column> inputs = new ArrayList<>();
        inputs.add(lit("backflow-row-hash-" + SCHEME));
        columns.stream().sorted().forEach(name -> {
            inputs.add(lit(name));
            inputs.add(functions.coalesce(fieldHashes.apply(name), lit(MISSING_HASH)));
        });
        return xxhash64(inputs.toArray(Column[]::new));
    }

    private static Column nonNull(Column value, DataType type) {
        return switch (ValueFamily.of(type)) {
            case NUMBER -> number(value, type);
            case TEXT, BINARY, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_NTZ -> tagged(ValueFamily.of(type), value);
            case ARRAY -> tagged(ValueFamily.ARRAY,
                    functions.transform(value, element -> field(element, ((ArrayType) type).elementType())));
            case MAP -> {
                MapType map = (MapType) type;
                // Entries in any order: each entry's hash, sorted.
                yield tagged(ValueFamily.MAP, functions.array_sort(functions.transform(functions.map_entries(value),
                        entry -> xxhash64(field(entry.getField("key"), map.keyType()),
                                field(entry.getField("value"), map.valueType())))));
            }
            case STRUCT -> {
                List<Column> inputs = new ArrayList<>();
                inputs.add(lit(ValueFamily.STRUCT.name()));
                Arrays.stream(((StructType) type).fields()).sorted(Comparator.comparing(StructField::name))
                        .forEach(nested -> {
                            inputs.add(lit(nested.name()));
                            inputs.add(field(value.getField(nested.name()), nested.dataType()));
                        });
                yield xxhash64(inputs.toArray(Column[]::new));
            }
            case OTHER -> xxhash64(lit(type.catalogString()), value.cast(DataTypes.StringType));
        };
    }

    private static Column tagged(ValueFamily family, Column value) {
        return xxhash64(lit(family.name()), value);
    }

    private static Column number(Column value, DataType type) {
        if (type instanceof DecimalType decimal) {
            if (decimal.scale() == 0 && decimal.precision() <= 18) {
                return whole(value.cast(DataTypes.LongType));
            }
            Column fitsLong = value.geq(lit(LONG_MIN)).and(value.leq(lit(LONG_MAX)));
            // The cast only runs for values that fit a long (CASE is lazy), so ANSI mode never sees an overflow.
            return when(fitsLong.and(value.equalTo(value.cast(DataTypes.LongType))),
                    whole(value.cast(DataTypes.LongType)))
                    .otherwise(decimalText(value));
        }
        if (type instanceof DoubleType || type instanceof FloatType) {
            Column number = value.cast(DataTypes.DoubleType);
            // Through the double's shortest text ("0.1"), not its binary value (0.1000000000000000055...), so a
            // double equals the decimal a user wrote.
            Column asDecimal = number.cast(DataTypes.StringType).cast(DOUBLE_AS_DECIMAL);
            Column fitsLong = number.geq(lit(-TWO_TO_63)).and(number.lt(lit(TWO_TO_63)));
            Column abs = functions.abs(number);
            return when(functions.isnan(number), tagged(ValueFamily.NUMBER, lit("NaN")))
                    .when(fitsLong.and(number.equalTo(number.cast(DataTypes.LongType))),
                            whole(number.cast(DataTypes.LongType)))
                    .when(abs.lt(lit(1e20)).and(asDecimal.cast(DataTypes.DoubleType).equalTo(number)),
                            decimalText(asDecimal))
                    // Beyond a long's range every double is whole.
                    .when(abs.lt(lit(1e38)).and(abs.geq(lit(TWO_TO_63))),
                            decimalText(number.cast(WHOLE_DOUBLE_AS_DECIMAL)))
                    // Infinities and values no decimal above holds exactly: compared as doubles.
                    .otherwise(xxhash64(lit("DOUBLE"), number));
        }
        return whole(value.cast(DataTypes.LongType));
    }

    private static Column whole(Column longValue) {
        return tagged(ValueFamily.NUMBER, longValue);
    }

    /** A decimal's shortest plain text: {@code 2.50} is {@code 2.5}, {@code 7.00} is {@code 7}. */
    private static Column decimalText(Column decimal) {
        Column text = decimal.cast(DataTypes.StringType);
        Column trimmed = functions.regexp_replace(text, "(\\.[0-9]*[1-9])0+$", "$1");
        return tagged(ValueFamily.NUMBER, functions.regexp_replace(trimmed, "\\.0*$", ""));
    }
}

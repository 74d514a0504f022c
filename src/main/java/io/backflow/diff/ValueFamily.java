package io.backflow.diff;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The family of a Spark type: the values a destination receives in the same representation. Values are
 * hashed by family (see {@link RowHash}), so a type change inside a family ({@code int} to {@code bigint},
 * {@code decimal(12,2)} to {@code decimal(13,2)}) keeps every hash, and a change across families
 * ({@code decimal} to {@code string}) changes every hash.
 */
public enum ValueFamily {
    /** byte, short, int, long, decimal, float, double: compared by numeric value. */
    NUMBER,
    /** string, varchar, char. */
    TEXT,
    BINARY,
    BOOLEAN,
    /** Days since the epoch. */
    DATE,
    /** Microseconds since the epoch, UTC. */
    TIMESTAMP,
    /** A wall-clock timestamp without a time zone. */
    TIMESTAMP_NTZ,
    ARRAY,
    MAP,
    STRUCT,
    /** Any other type (intervals, variants): compared through its text. */
    OTHER;

    /** The family of {@code type}'s values (for nested types, the outer family). */
    public static ValueFamily of(DataType type) {
        if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType
                || type instanceof LongType || type instanceof DecimalType || type instanceof FloatType
                || type instanceof DoubleType) {
            return NUMBER;
        }
        if (type instanceof StringType || type instanceof VarcharType || type instanceof CharType) {
            return TEXT;
        }
        if (type instanceof BinaryType) {
            return BINARY;
        }
        if (type instanceof BooleanType) {
            return BOOLEAN;
        }
        if (type instanceof DateType) {
            return DATE;
        }
        if (type instanceof TimestampType) {
            return TIMESTAMP;
        }
        if (type instanceof TimestampNTZType) {
            return TIMESTAMP_NTZ;
        }
        if (type instanceof ArrayType) {
            return ARRAY;
        }
        if (type instanceof MapType) {
            return MAP;
        }
        if (type instanceof StructType) {
            return STRUCT;
        }
        return OTHER;
    }

    /**
     * The family of {@code type} with the families of everything nested in it, e.g. {@code number},
     * {@code array<text>}, {@code struct<city:text,zip:number>}: two types with equal signatures hash equal
     * values equally.
     */
    public static String signature(DataType type) {
        if (type instanceof ArrayType array) {
            return "array<" + signature(array.elementType()) + ">";
        }
        if (type instanceof MapType map) {
            return "map<" + signature(map.keyType()) + "," + signature(map.valueType()) + ">";
        }
        if (type instanceof StructType struct) {
            return "struct<" + Arrays.stream(struct.fields()).sorted(Comparator.comparing(StructField::name))
                    .map(field -> field.name() + ":" + signature(field.dataType())).collect(Collectors.joining(","))
                    + ">";
        }
        ValueFamily family = of(type);
        return family == OTHER ? type.catalogString() : family.name().toLowerCase(java.util.Locale.ROOT);
    }
}

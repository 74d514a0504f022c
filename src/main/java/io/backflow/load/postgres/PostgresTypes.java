package io.backflow.load.postgres;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one mapping between Spark types and PostgreSQL: the column type {@code create_table} declares, and
 * the text form of a Spark value that PostgreSQL parses back to exactly that value.
 *
 * <table>
 *   <caption>Spark type to PostgreSQL type</caption>
 *   <tr><td>string</td><td>text</td></tr>
 *   <tr><td>byte, short</td><td>smallint</td></tr>
 *   <tr><td>int</td><td>integer</td></tr>
 *   <tr><td>long</td><td>bigint</td></tr>
 *   <tr><td>float</td><td>real</td></tr>
 *   <tr><td>double</td><td>double precision</td></tr>
 *   <tr><td>decimal(p,s)</td><td>numeric(p,s)</td></tr>
 *   <tr><td>boolean</td><td>boolean</td></tr>
 *   <tr><td>date</td><td>date</td></tr>
 *   <tr><td>timestamp</td><td>timestamptz</td></tr>
 *   <tr><td>timestamp_ntz</td><td>timestamp</td></tr>
 *   <tr><td>binary</td><td>bytea</td></tr>
 *   <tr><td>array, map, struct</td><td>jsonb</td></tr>
 * </table>
 *
 * <p>Text, not PostgreSQL's binary format, is what the values are encoded to: the server then parses
 * each value with the input function of the destination column's own type, so a Spark string also
 * lands exactly in a {@code uuid}, {@code varchar(n)}, enum or {@code json} column, a long in a
 * {@code numeric} column, and so on. Stateless and thread-safe.
 */
final class PostgresTypes {

    private PostgresTypes() {
    }

    /**
     * The PostgreSQL column type for a Spark type, or empty if Backflow cannot send that type
     * (intervals, user-defined types, a column that is always null).
     */
    static Optional<String> columnType(DataType type) {
        if (type instanceof StringType) {
            return Optional.of("text");
        } else if (type instanceof ByteType || type instanceof ShortType) {
            return Optional.of("smallint");
        } else if (type instanceof IntegerType) {
            return Optional.of("integer");
        } else if (type instanceof LongType) {
            return Optional.of("bigint");
        } else if (type instanceof FloatType) {
            return Optional.of("real");
        } else if (type instanceof DoubleType) {
            return Optional.of("double precision");
        } else if (type instanceof DecimalType decimal) {
            // PostgreSQL 14 rejects a negative scale (a legacy Spark setting); plain numeric holds such values.
            return Optional.of(decimal.scale() < 0 ? "numeric"
                    : "numeric(" + decimal.precision() + "," + decimal.scale() + ")");
        } else if (type instanceof BooleanType) {
            return Optional.of("boolean");
        } else if (type instanceof DateType) {
            return Optional.of("date");
        } else if (type instanceof TimestampType) {
            return Optional.of("timestamptz");
        } else if (type instanceof TimestampNTZType) {
            return Optional.of("timestamp");
        } else if (type instanceof BinaryType) {
            return Optional.of("bytea");
        } else if (isJson(type)) {
            return Optional.of("jsonb");
        }
        return Optional.empty();
    }

    /**
     * Whether values of this Spark type can be sent. A {@code NullType} column (e.g. {@code NULL AS x} in
     * the model) can be sent to an existing column, though no column type can be derived from it.
     */
    static boolean canSend(DataType type) {
        return type instanceof NullType || columnType(type).isPresent();
    }

    /** Whether values of this type are sent as JSON. */
    static boolean isJson(DataType type) {
        return type instanceof ArrayType || type instanceof MapType || type instanceof StructType;
    }

    /**
     * The PostgreSQL input text of a non-null value held in a Spark {@code Row} for a column of this type.
     *
     * @throws IllegalArgumentException if the value is not of a class Spark uses for the type
     */
    static String text(DataType type, Object value) {
        if (type instanceof StringType) {
            return expect(value, type, String.class);
        } else if (type instanceof ByteType) {
            return expect(value, type, Byte.class).toString();
        } else if (type instanceof ShortType) {
            return expect(value, type, Short.class).toString();
        } else if (type instanceof IntegerType) {
            return expect(value, type, Integer.class).toString();
        } else if (type instanceof LongType) {
            return expect(value, type, Long.class).toString();
        } else if (type instanceof DoubleType) {
            double number = expect(value, type, Double.class);
            return Double.isFinite(number) ? Double.toString(number) : nonFinite(number);
        } else if (type instanceof FloatType) {
            float number = expect(value, type, Float.class);
            return Float.isFinite(number) ? Float.toString(number) : nonFinite(number);
        } else if (type instanceof DecimalType) {
            // toPlainString: toString would write 1E+3, which loses the value's scale in PostgreSQL.
            return value instanceof Decimal decimal ? decimal.toJavaBigDecimal().toPlainString()
                    : expect(value, type, BigDecimal.class).toPlainString();
        } else if (type instanceof BooleanType) {
            return expect(value, type, Boolean.class) ? "true" : "false";
        } else if (type instanceof DateType) {
            return DateTimeText.date(DateTimeText.localDate(value));
        } else if (type instanceof TimestampType) {
            return DateTimeText.instant(DateTimeText.instantOf(value));
        } else if (type instanceof TimestampNTZType) {
            return DateTimeText.localDateTime(expect(value, type, java.time.LocalDateTime.class));
        } else if (type instanceof BinaryType) {
            return "\\x" + HexFormat.of().formatHex(expect(value, type, byte[].class));
        } else if (isJson(type)) {
            return JsonValues.json(type, value);
        }
        throw new IllegalArgumentException("Cannot send values of Spark type " + type.simpleString());
    }

    /**
     * NaN and infinities as PostgreSQL's float input spells them. Finite values use Java's
     * {@code toString}, whose decimal parses back (PostgreSQL uses correctly rounded strtod/strtof) to
     * the same bits; -0.0 keeps its sign.
     */
    private static String nonFinite(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value > 0 ? "Infinity" : "-Infinity";
    }

    static <T> T expect(Object value, DataType type, Class<T> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("A Spark " + type.simpleString() + " value must be a "
                    + expected.getSimpleName() + ", got " + value.getClass().getName());
        }
        return expected.cast(value);
    }
}

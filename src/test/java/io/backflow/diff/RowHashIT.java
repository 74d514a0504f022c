package io.backflow.diff;

import io.backflow.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The value hash's canonical rules, one family at a time, computed by Spark as a diff computes them. */
class RowHashIT extends SparkTest {

    /** The field hash of {@code value} held in a column of {@code type}. */
    private static long hash(DataType type, Object value) {
        StructType schema = new StructType().add("v", type);
        Row row = spark.createDataFrame(List.of(RowFactory.create(value)), schema)
                .select(RowHash.field(col("v"), type)).first();
        return row.getLong(0);
    }

    private static final DataType DECIMAL_12_2 = DataTypes.createDecimalType(12, 2);
    private static final DataType DECIMAL_13_2 = DataTypes.createDecimalType(13, 2);
    private static final DataType DECIMAL_38_6 = DataTypes.createDecimalType(38, 6);
    private static final DataType DECIMAL_38_2 = DataTypes.createDecimalType(38, 2);

    @Test
    void numbersHashByValueWhateverTheirType() {
        long five = hash(DataTypes.LongType, 5L);
        assertThat(hash(DataTypes.ByteType, (byte) 5)).isEqualTo(five);
        assertThat(hash(DataTypes.ShortType, (short) 5)).isEqualTo(five);
        assertThat(hash(DataTypes.IntegerType, 5)).isEqualTo(five);
        assertThat(hash(DECIMAL_12_2, new BigDecimal("5.00"))).isEqualTo(five);
        assertThat(hash(DataTypes.createDecimalType(10, 0), new BigDecimal("5"))).isEqualTo(five);
        assertThat(hash(DataTypes.DoubleType, 5.0)).isEqualTo(five);
        assertThat(hash(DataTypes.FloatType, 5.0f)).isEqualTo(five);

        long twoAndAHalf = hash(DECIMAL_12_2, new BigDecimal("2.50"));
        assertThat(hash(DECIMAL_13_2, new BigDecimal("2.50"))).isEqualTo(twoAndAHalf);
        assertThat(hash(DECIMAL_38_6, new BigDecimal("2.500000"))).isEqualTo(twoAndAHalf);
        assertThat(hash(DataTypes.DoubleType, 2.5)).isEqualTo(twoAndAHalf);
        assertThat(hash(DataTypes.FloatType, 2.5f)).isEqualTo(twoAndAHalf);
        assertThat(hash(DataTypes.DoubleType, 0.1)).isEqualTo(hash(DECIMAL_38_2, new BigDecimal("0.10")));
        // 1.23E-5 is the double's shortest text: still compared as the decimal 0.0000123.
        assertThat(hash(DataTypes.DoubleType, 0.0000123))
                .isEqualTo(hash(DataTypes.createDecimalType(20, 8), new BigDecimal("0.00001230")))
                .isNotEqualTo(hash(DataTypes.DoubleType, 0.0000124));
        assertThat(hash(DECIMAL_38_6, new BigDecimal("-1234567.891000")))
                .isEqualTo(hash(DataTypes.createDecimalType(20, 3), new BigDecimal("-1234567.891")))
                .isNotEqualTo(hash(DECIMAL_38_2, new BigDecimal("-1234567.89")));
        // Beyond a long: still by value.
        assertThat(hash(DataTypes.createDecimalType(38, 0), new BigDecimal("100000000000000000000000000000")))
                .isEqualTo(hash(DataTypes.DoubleType, 1e29))
                .isEqualTo(hash(DECIMAL_38_2, new BigDecimal("100000000000000000000000000000.00")));

        assertThat(hash(DataTypes.DoubleType, -0.0)).isEqualTo(hash(DataTypes.DoubleType, 0.0))
                .isEqualTo(hash(DataTypes.IntegerType, 0));
        assertThat(hash(DataTypes.DoubleType, Double.NaN)).isEqualTo(hash(DataTypes.FloatType, Float.NaN))
                .isEqualTo(hash(DataTypes.DoubleType, Double.longBitsToDouble(0x7ff8000000000abcL)));
        assertThat(hash(DataTypes.DoubleType, Double.POSITIVE_INFINITY))
                .isNotEqualTo(hash(DataTypes.DoubleType, Double.NEGATIVE_INFINITY));
        assertThat(hash(DataTypes.DoubleType, 1e-30)).isNotEqualTo(hash(DataTypes.DoubleType, 2e-30))
                .isNotEqualTo(hash(DataTypes.IntegerType, 0));
        assertThat(hash(DataTypes.LongType, Long.MAX_VALUE)).isNotEqualTo(hash(DataTypes.LongType, Long.MIN_VALUE));
        assertThat(hash(DECIMAL_12_2, new BigDecimal("5.01"))).isNotEqualTo(five);
        assertThat(hash(DataTypes.LongType, 50L)).isNotEqualTo(five);
    }

    @Test
    void aChangeOfFamilyChangesTheHash() {
        assertThat(hash(DataTypes.StringType, "5")).isNotEqualTo(hash(DataTypes.IntegerType, 5));
        assertThat(hash(DataTypes.StringType, "true")).isNotEqualTo(hash(DataTypes.BooleanType, true));
        Instant midnight = Instant.parse("2024-02-29T00:00:00Z");
        assertThat(hash(DataTypes.DateType, Date.valueOf("2024-02-29")))
                .isNotEqualTo(hash(DataTypes.TimestampType, Timestamp.from(midnight)));
        assertThat(hash(DataTypes.BinaryType, "ab".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isNotEqualTo(hash(DataTypes.StringType, "ab"));
    }

    @Test
    void nullsHaveOneHashThatNoValueHas() {
        long nullHash = hash(DataTypes.StringType, null);
        assertThat(hash(DataTypes.IntegerType, null)).isEqualTo(nullHash);
        assertThat(hash(DataTypes.StringType, "")).isNotEqualTo(nullHash);
        assertThat(hash(DataTypes.IntegerType, 0)).isNotEqualTo(nullHash);
    }

    @Test
    void timestampsHashAsUtcMicrosecondsWhateverTheSessionZone() {
        Timestamp instant = Timestamp.from(Instant.parse("2024-02-29T23:59:59.123456Z"));
        long utc = hash(DataTypes.TimestampType, instant);
        String zone = spark.conf().get("spark.sql.session.timeZone");
        try {
            spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
            assertThat(hash(DataTypes.TimestampType, instant)).isEqualTo(utc);
        } finally {
            spark.conf().set("spark.sql.session.timeZone", zone);
        }
        assertThat(hash(DataTypes.TimestampType, Timestamp.from(Instant.parse("2024-02-29T23:59:59.123457Z"))))
                .isNotEqualTo(utc);
    }

    @Test
    void nestedValuesHashElementByElementWithTheSameRules() {
        DataType ints = DataTypes.createArrayType(DataTypes.IntegerType);
        DataType decimals = DataTypes.createArrayType(DECIMAL_12_2);
        assertThat(hash(ints, List.of(1, 2))).isEqualTo(hash(decimals, List.of(new BigDecimal("1.00"),
                new BigDecimal("2.00"))));
        assertThat(hash(ints, List.of(1, 2))).isNotEqualTo(hash(ints, List.of(2, 1)));
        assertThat(hash(DataTypes.createArrayType(DataTypes.StringType), java.util.Arrays.asList(null, "x")))
                .isNotEqualTo(hash(DataTypes.createArrayType(DataTypes.StringType), java.util.Arrays.asList("x", null)));
        assertThat(hash(ints, List.of())).isNotEqualTo(hash(ints, null));

        DataType longMap = DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType);
        DataType doubleMap = DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType);
        assertThat(hash(longMap, Map.of("a", 1L, "b", 2L))).isEqualTo(hash(doubleMap, Map.of("b", 2.0, "a", 1.0)));
        assertThat(hash(longMap, Map.of("a", 1L))).isNotEqualTo(hash(longMap, Map.of("a", 2L)));

        DataType narrow = new StructType().add("city", DataTypes.StringType).add("zip", DataTypes.IntegerType);
        DataType wide = new StructType().add("zip", DataTypes.LongType).add("city", DataTypes.StringType);
        assertThat(hash(narrow, RowFactory.create("Oslo", 150))).isEqualTo(hash(wide, RowFactory.create(150L, "Oslo")));
        assertThat(hash(narrow, RowFactory.create("Oslo", null))).isNotEqualTo(hash(narrow, RowFactory.create(null,
                null)));
    }
}

package io.backflow.load.postgres;

import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Values in the text PostgreSQL parses back exactly. */
class PostgresTypesTest {

    @Test
    void spellsValuesAsPostgresParsesThemUnderAnySetting() {
        assertThat(PostgresTypes.text(DataTypes.DoubleType, Double.NaN)).isEqualTo("NaN");
        assertThat(PostgresTypes.text(DataTypes.DoubleType, Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(PostgresTypes.text(DataTypes.FloatType, Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(PostgresTypes.text(DataTypes.DoubleType, -0.0)).isEqualTo("-0.0");
        assertThat(PostgresTypes.text(DataTypes.createDecimalType(10, 0), new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(PostgresTypes.text(DataTypes.BooleanType, true)).isEqualTo("true");
        assertThat(PostgresTypes.text(DataTypes.DateType, LocalDate.of(0, 1, 1))).isEqualTo("0001-01-01 BC");
        assertThat(PostgresTypes.text(DataTypes.DateType, java.sql.Date.valueOf("2024-02-29"))).isEqualTo("2024-02-29");
        assertThat(PostgresTypes.text(DataTypes.TimestampType, Instant.parse("2024-02-29T13:45:00.000001Z")))
                .isEqualTo("2024-02-29 13:45:00.000001+00");
        assertThat(PostgresTypes.text(DataTypes.TimestampType, Timestamp.from(Instant.parse("1969-12-31T23:59:59.5Z"))))
                .isEqualTo("1969-12-31 23:59:59.500000+00");
        assertThat(PostgresTypes.text(DataTypes.TimestampNTZType, LocalDateTime.of(12345, 1, 2, 3, 4, 5, 6_999)))
                .isEqualTo("12345-01-02 03:04:05.000006");
        assertThat(PostgresTypes.text(DataTypes.BinaryType, new byte[] {0, (byte) 0xab})).isEqualTo("\\x00ab");
        assertThat(PostgresTypes.text(DataTypes.createArrayType(DataTypes.DoubleType),
                java.util.Arrays.asList(1.5, Double.NaN, null))).isEqualTo("[1.5,\"NaN\",null]");
        assertThat(PostgresTypes.text(DataTypes.createArrayType(DataTypes.createDecimalType(20, 10)),
                java.util.List.of(new BigDecimal("1E-10")))).isEqualTo("[0.0000000001]");
        assertThat(PostgresTypes.text(DataTypes.createMapType(DataTypes.IntegerType, DataTypes.BinaryType),
                java.util.Map.of(7, new byte[] {1, 2}))).isEqualTo("{\"7\":\"AQI=\"}");
    }
}

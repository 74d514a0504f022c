package io.backflow.load.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backflow.BackflowException.Category;
import io.backflow.config.SyncMode;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.DestinationException;
import io.backflow.load.PartitionWriter;
import io.backflow.load.RecordOutcome;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.backflow.load.postgres.TestTables.change;
import static io.backflow.load.postgres.TestTables.field;
import static io.backflow.load.postgres.TestTables.simpleLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresPartitionWriterIT extends PostgresTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PartitionWriter writer(String table, ChangeLayout layout) {
        return new PostgresDestination(tables.config(table)).openWriter(layout);
    }

    // ---- every type, exactly ----

    private static final List<StructField> ALL_TYPES = List.of(
            field("s", DataTypes.StringType), field("i", DataTypes.IntegerType), field("l", DataTypes.LongType),
            field("sh", DataTypes.ShortType), field("b", DataTypes.ByteType), field("d", DataTypes.DoubleType),
            field("f", DataTypes.FloatType), field("dec", DataTypes.createDecimalType(38, 10)),
            field("bool", DataTypes.BooleanType), field("dt", DataTypes.DateType),
            field("ts", DataTypes.TimestampType), field("ntz", DataTypes.TimestampNTZType),
            field("bin", DataTypes.BinaryType), field("arr", DataTypes.createArrayType(DataTypes.StringType)),
            field("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType)),
            field("st", DataTypes.createStructType(List.of(field("n", DataTypes.IntegerType),
                    field("t", DataTypes.StringType), field("at", DataTypes.TimestampType),
                    field("tags", DataTypes.createArrayType(DataTypes.IntegerType))))));

    /** Values of ALL_TYPES per row, and what PostgreSQL must hold for them (see {@link #read}). */
    private record Sample(Object[] values, String[] expected) {
    }

    private static List<Sample> samples() {
        long ancientMicros = DateTimeUtils.instantToMicros(Instant.parse("1500-06-01T12:00:00.000001Z"));
        Timestamp withMicros = Timestamp.from(Instant.parse("2024-02-29T23:59:59.999999Z"));
        return List.of(
                new Sample(new Object[16], new String[] {null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null}),
                new Sample(new Object[] {"", 0, 0L, (short) 0, (byte) 0, -0.0d, -0.0f, new BigDecimal("0E-10"), false,
                        LocalDate.of(1970, 1, 1), Instant.EPOCH, LocalDateTime.of(1970, 1, 1, 0, 0), new byte[0],
                        seq(), scalaMap(Map.of()), RowFactory.create(0, "", null, seq())},
                        new String[] {"", "0", "0", "0", "0", "-0.0", "-0.0", "0.0000000000", "false", "1970-01-01",
                                "1970-01-01 00:00:00+00", "1970-01-01 00:00:00", "", "[]", "{}",
                                "{\"n\":0,\"t\":\"\",\"at\":null,\"tags\":[]}"}),
                new Sample(new Object[] {"comma, \"double\" 'single' \\N \\. back\\slash", Integer.MIN_VALUE,
                        Long.MIN_VALUE, Short.MIN_VALUE, Byte.MIN_VALUE, Double.NaN, Float.NaN,
                        new BigDecimal("-9999999999999999999999999999.9999999999"), true, LocalDate.of(-43, 3, 15),
                        DateTimeUtils.toJavaTimestamp(ancientMicros), LocalDateTime.of(1, 1, 1, 0, 0, 0, 1000),
                        new byte[] {0, 1, '\\', '\n', '\t', (byte) 0xff}, seq("a\"b", null, "é😀"),
                        scalaMap(linked("k,1", 1, "k\"2", null)),
                        RowFactory.create(-1, "x\ny", Instant.parse("1500-06-01T12:00:00.000001Z"), seq(1, null))},
                        new String[] {"comma, \"double\" 'single' \\N \\. back\\slash", "-2147483648",
                                "-9223372036854775808", "-32768", "-128", "NaN", "NaN",
                                "-9999999999999999999999999999.9999999999", "true", "0044-03-15 BC",
                                "1500-06-01 12:00:00.000001+00", "0001-01-01 00:00:00.000001", "00015c0a09ff",
                                "[\"a\\\"b\",null,\"é😀\"]", "{\"k,1\":1,\"k\\\"2\":null}",
                                "{\"n\":-1,\"t\":\"x\\ny\",\"at\":\"1500-06-01T12:00:00.000001Z\",\"tags\":[1,null]}"}),
                new Sample(new Object[] {"line1\nline2\r\nline3\ttab\n\\.\nend", Integer.MAX_VALUE, Long.MAX_VALUE,
                        Short.MAX_VALUE, Byte.MAX_VALUE, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                        new BigDecimal("12345678901234567890.1234567890"), true, java.sql.Date.valueOf("2024-02-29"),
                        withMicros, LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123456000), new byte[] {(byte) 0x80},
                        seq("1", "2"), scalaMap(linked("", 0)), RowFactory.create(null, null, null, null)},
                        new String[] {"line1\nline2\r\nline3\ttab\n\\.\nend", "2147483647", "9223372036854775807",
                                "32767", "127", "Infinity", "-Infinity", "12345678901234567890.1234567890", "true",
                                "2024-02-29", "2024-02-29 23:59:59.999999+00", "2024-03-10 02:30:00.123456", "80",
                                "[\"1\",\"2\"]", "{\"\":0}", "{\"n\":null,\"t\":null,\"at\":null,\"tags\":null}"}),
                new Sample(new Object[] {"emoji 😀👍🏽 Ünïcödé 日本語 — ∑ \u00a0", 42, (1L << 53) + 1, (short) 7,
                        (byte) 1, Double.MIN_VALUE, Float.MIN_VALUE, new BigDecimal("0.0000000001"), false,
                        LocalDate.of(9999, 12, 31), Instant.parse("9999-12-31T23:59:59.999999Z"),
                        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999999000), "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        List.of("java", "list"), Map.of("k", 5), RowFactory.create(5, "😀", null, List.of(2))},
                        new String[] {"emoji 😀👍🏽 Ünïcödé 日本語 — ∑ \u00a0", "42", "9007199254740993", "7", "1",
                                "4.9E-324", "1.4E-45", "0.0000000001", "false", "9999-12-31",
                                "9999-12-31 23:59:59.999999+00", "9999-12-31 23:59:59.999999", "f09f9880",
                                "[\"java\",\"list\"]", "{\"k\":5}", "{\"n\":5,\"t\":\"😀\",\"at\":null,\"tags\":[2]}"}),
                new Sample(new Object[] {"x", 1, 1L, (short) 1, (byte) 1, 0.1, 1.1f,
                        new BigDecimal("1E+3"), true, LocalDate.of(1582, 10, 4), Instant.parse("1969-12-31T23:59:59.000001Z"),
                        LocalDateTime.of(2000, 1, 1, 0, 0), new byte[] {1}, seq(), scalaMap(Map.of()), null},
                        new String[] {"x", "1", "1", "1", "1", "0.1", "1.1", "1000.0000000000", "true", "1582-10-04",
                                "1969-12-31 23:59:59.000001+00", "2000-01-01 00:00:00", "01", "[]", "{}", null}),
                new Sample(new Object[] {"y", 2, 2L, (short) 2, (byte) 2, Double.MAX_VALUE, Float.MAX_VALUE,
                        new BigDecimal("-0.5"), false, DateTimeUtils.toJavaDate(-500_000),
                        Instant.parse("0000-06-01T00:00:00Z"), LocalDateTime.of(-99, 2, 3, 4, 5, 6), new byte[] {2},
                        seq(), scalaMap(Map.of()), null},
                        new String[] {"y", "2", "2", "2", "2", "1.7976931348623157E308", "3.4028235E38",
                                "-0.5000000000", "false", "0601-01-18", "0001-06-01 00:00:00+00 BC",
                                "0100-02-03 04:05:06 BC", "02", "[]", "{}", null}));
    }

    @Test
    void upsertInsertsAndUpdatesEveryTypeExactlyWhateverTheSessionTimeZone() throws Exception {
        String table = newTable();
        ChangeLayout layout = TestTables.layout(SyncMode.UPSERT, List.of(field("id", DataTypes.LongType)), ALL_TYPES);
        new PostgresDestination(tables.config(Optional.empty(), table, true)).prepare(layout);
        TimeZone original = TimeZone.getDefault();
        // The driver gives the session the JVM's time zone: a far-off one shows no value depends on it.
        // (Set before the samples are made: Spark converts old timestamps through the JVM's zone too.)
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
        List<Sample> samples = samples();
        try (PartitionWriter writer = writer(table, layout)) {
            List<Change> inserts = IntStream.range(0, samples.size())
                    .mapToObj(i -> change(Operation.INSERT, withKey(i, samples.get(i).values()))).toList();
            assertThat(writer.send(inserts)).isEmpty();
            assertRows(table, samples, 0);

            // Every row takes the next row's values: each value is updated to another of a different kind.
            List<Change> updates = IntStream.range(0, samples.size())
                    .mapToObj(i -> change(Operation.UPDATE,
                            withKey(i, samples.get((i + 1) % samples.size()).values()))).toList();
            assertThat(writer.send(updates)).isEmpty();
            assertRows(table, samples, 1);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    // ---- sync modes ----

    @Test
    void mirrorDeletesRowsThatLeftTheModelAndResendingChangesNothing() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
        List<Change> batch = List.of(change(Operation.DELETE, 1L, null, null), change(Operation.UPDATE, 2L, "TWO", 22),
                change(Operation.INSERT, 4L, "four", 4), change(Operation.DELETE, 9L, null, null));
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.MIRROR))) {
            assertThat(writer.send(batch)).isEmpty();
            assertThat(tables.simpleRows(table)).containsExactly("2 TWO 22", "3 three 3", "4 four 4");
            // A re-run task sends the same batch again: the table must not change.
            assertThat(writer.send(batch)).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("2 TWO 22", "3 three 3", "4 four 4");
    }

    @Test
    void upsertModeNeverDeletes() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 1)");
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            List<RecordOutcome> outcomes = writer.send(List.of(change(Operation.DELETE, 1L, null, null),
                    change(Operation.INSERT, 2L, "two", 2)));
            assertThat(outcomes).containsExactly(RecordOutcome.skipped(0, "NotSent", "mode 'upsert' does not delete rows"));
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 one 1", "2 two 2");
    }

    @Test
    void insertModeCreatesNewRowsAndLeavesExistingOnesAlone() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        tables.execute("INSERT INTO " + table + " VALUES (1, 'edited by someone', 100)");
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.INSERT))) {
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "one", 1), change(Operation.INSERT, 2L, "two", 2))))
                    .isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 edited by someone 100", "2 two 2");
    }

    @Test
    void updateModeUpdatesExistingRowsAndSkipsKeysTheTableLacks() throws Exception {
        String table = newTable();
        // No unique key: update mode does not need one.
        tables.execute("CREATE TABLE " + table + " (id bigint, name text, amount integer)");
        tables.execute("INSERT INTO " + table + " VALUES (1, 'one', 1), (3, 'three', 3)");
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPDATE))) {
            List<RecordOutcome> outcomes = writer.send(List.of(change(Operation.INSERT, 1L, "ONE", 11),
                    change(Operation.UPDATE, 2L, "TWO", 22), change(Operation.UPDATE, 3L, "THREE", null)));
            assertThat(outcomes).containsExactly(RecordOutcome.skipped(1, "NotFound",
                    "no row with key id=2 in " + table + "; mode 'update' does not create rows"));
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 ONE 11", "3 THREE null");
    }

    @Test
    void updateModeWithOnlyKeyColumnsReportsMissingKeys() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
        tables.execute("INSERT INTO " + table + " VALUES (1)");
        ChangeLayout layout = TestTables.layout(SyncMode.UPDATE, List.of(field("id", DataTypes.LongType)), List.of());
        try (PartitionWriter writer = writer(table, layout)) {
            assertThat(writer.send(List.of(change(Operation.UPDATE, 1L), change(Operation.UPDATE, 2L))))
                    .extracting(RecordOutcome::index, RecordOutcome::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, RecordOutcome.Status.SKIPPED));
        }
    }

    // ---- errors ----

    @Test
    void aCheckViolationRejectsTheWholeBatchAsPermanentAndSplittingIsolatesTheRecord() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text,"
                + " amount integer CONSTRAINT amount_positive CHECK (amount > 0))");
        List<Change> batch = IntStream.rangeClosed(1, 8)
                .mapToObj(i -> change(Operation.INSERT, (long) i, "n" + i, i == 6 ? -6 : i)).toList();
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            assertThatThrownBy(() -> writer.send(batch))
                    .isInstanceOfSatisfying(DestinationException.class, e -> {
                        assertThat(e.category()).isEqualTo(Category.PERMANENT_RECORD);
                        assertThat(e.errorClass()).isEqualTo("23514 check_violation");
                    })
                    .hasMessageContaining("violates check constraint \"amount_positive\"")
                    .hasMessageContaining("Failing row contains (6, n6, -6)");
            assertThat(tables.simpleRows(table)).isEmpty();

            // What BatchDelivery does with a permanent failure (its metrics are not constructible from here).
            assertThat(isolate(writer, batch, 0)).containsExactly(5);
            assertThat(tables.simpleRows(table)).hasSize(7).doesNotContain("6 n6 -6");
        }
    }

    /** Splits a batch in halves until each rejected record is alone; returns their indexes. */
    private static List<Integer> isolate(PartitionWriter writer, List<Change> batch, int offset) {
        try {
            assertThat(writer.send(batch)).isEmpty();
            return List.of();
        } catch (DestinationException e) {
            assertThat(e.isTransient()).isFalse();
            if (batch.size() == 1) {
                return List.of(offset);
            }
            int half = batch.size() / 2;
            List<Integer> bad = new ArrayList<>(isolate(writer, batch.subList(0, half), offset));
            bad.addAll(isolate(writer, batch.subList(half, batch.size()), offset + half));
            return bad;
        }
    }

    @Test
    void valuesTheTableCannotHoldArePermanentRecordErrorsNamingTheColumn() throws Exception {
        String table = newTable();
        tables.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name varchar(3), amount smallint)");
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            assertThatThrownBy(() -> writer.send(List.of(change(Operation.INSERT, 1L, "abcd", 1))))
                    .isInstanceOfSatisfying(DestinationException.class,
                            e -> assertThat(e.errorClass()).isEqualTo("22001 string_data_right_truncation"))
                    .hasMessageContaining("value too long for type character varying(3)")
                    .hasMessageContaining("column name");
            assertThatThrownBy(() -> writer.send(List.of(change(Operation.INSERT, 1L, "a", 70000))))
                    .isInstanceOfSatisfying(DestinationException.class,
                            e -> assertThat(e.errorClass()).isEqualTo("22003 numeric_value_out_of_range"));
            assertThatThrownBy(() -> writer.send(List.of(change(Operation.INSERT, 1L, "a\u0000b", 1))))
                    .isInstanceOfSatisfying(DestinationException.class,
                            e -> assertThat(e.category()).isEqualTo(Category.PERMANENT_RECORD));
            // The connection survives record errors.
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "abc", 1)))).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 abc 1");
    }

    @Test
    void aValueOfTheWrongClassFailsOnlyItsRecord() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "one", "not an int"),
                    change(Operation.INSERT, 2L, "two", 2))))
                    .containsExactly(RecordOutcome.failed(0, "UnsupportedValue",
                            "Column 'amount': A Spark int value must be a Integer, got java.lang.String"));
        }
        assertThat(tables.simpleRows(table)).containsExactly("2 two 2");

        // In update mode too the record gets exactly one outcome: it is not also reported as not found.
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPDATE))) {
            assertThat(writer.send(List.of(change(Operation.UPDATE, 2L, "TWO", "not an int"),
                    change(Operation.UPDATE, 2L, "TWO", 22))))
                    .extracting(RecordOutcome::index, RecordOutcome::errorClass)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "UnsupportedValue"));
        }
        assertThat(tables.simpleRows(table)).containsExactly("2 TWO 22");
    }

    @Test
    void aColumnDroppedDuringTheLoadFailsWholeBatchesUntilItIsBack() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "one", 1)))).isEmpty();
            tables.execute("ALTER TABLE " + table + " DROP COLUMN amount");

            List<RecordOutcome> outcomes = writer.send(List.of(change(Operation.INSERT, 2L, "two", 2),
                    change(Operation.INSERT, 3L, "three", 3)));
            assertThat(outcomes).extracting(RecordOutcome::index).containsExactly(0, 1);
            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.status()).isEqualTo(RecordOutcome.Status.FAILED);
                assertThat(outcome.errorClass()).isEqualTo("42703 undefined_column");
                assertThat(outcome.message()).contains("amount").contains("does not exist");
            });

            // The next batch starts a new session, whose staging table follows the table as it is now.
            tables.execute("ALTER TABLE " + table + " ADD COLUMN amount bigint");
            assertThat(writer.send(List.of(change(Operation.INSERT, 2L, "two", 2)))).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 one null", "2 two 2");
    }

    @Test
    void aLostConnectionIsTransientAndTheNextBatchReconnects() throws Exception {
        String table = newTable();
        tables.createSimpleTable(table);
        try (PartitionWriter writer = writer(table, simpleLayout(SyncMode.UPSERT))) {
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "one", 1)))).isEmpty();
            tables.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'backflow'");

            assertThatThrownBy(() -> writer.send(List.of(change(Operation.INSERT, 2L, "two", 2))))
                    .isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.isTransient()).isTrue());
            assertThat(writer.send(List.of(change(Operation.INSERT, 2L, "two", 2)))).isEmpty();
        }
        assertThat(tables.simpleRows(table)).containsExactly("1 one 1", "2 two 2");
    }

    @Test
    void anUnreachableServerIsTransientAndNeverShowsThePassword() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        io.backflow.config.PostgresConfig config = new io.backflow.config.PostgresConfig(
                "jdbc:postgresql://127.0.0.1:" + port + "/app?password=hunter2", "app",
                Optional.of(new io.backflow.config.Secret("hunter2")), Optional.empty(), "t", 10, false);
        try (PartitionWriter writer = new PostgresDestination(config).openWriter(simpleLayout(SyncMode.UPSERT))) {
            assertThatThrownBy(() -> writer.send(List.of(change(Operation.INSERT, 1L, "one", 1))))
                    .isInstanceOfSatisfying(DestinationException.class, e -> {
                        assertThat(e.isTransient()).isTrue();
                        assertThat(e.errorClass()).startsWith("08");
                    })
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("password=******")
                    .hasMessageNotContaining("hunter2");
        }
    }

    // ---- names ----

    @Test
    void namesWithSpacesQuotesAndSqlInThemAreUsedExactly() throws Exception {
        tables.execute("CREATE TABLE victim (id int)");
        String schema = "My \"Schema\"";
        String table = "x\"; DROP TABLE victim; --";
        ChangeLayout layout = TestTables.layout(SyncMode.MIRROR, List.of(field("key col", DataTypes.LongType),
                        field("Region\"", DataTypes.StringType)),
                List.of(field("value\"); DROP TABLE victim; --", DataTypes.StringType), field("Mixed Case", DataTypes.IntegerType)));
        tables.execute("CREATE SCHEMA " + SqlIdentifiers.quote(schema));
        PostgresDestination destination = new PostgresDestination(tables.config(Optional.of(schema), table, true));
        destination.prepare(layout);
        try (PartitionWriter writer = destination.openWriter(layout)) {
            assertThat(writer.send(List.of(change(Operation.INSERT, 1L, "eu", "a", 1),
                    change(Operation.INSERT, 2L, "us", "b", 2)))).isEmpty();
            assertThat(writer.send(List.of(change(Operation.UPDATE, 1L, "eu", "A", 10),
                    change(Operation.DELETE, 2L, "us", null, null)))).isEmpty();
        }
        String quoted = SqlIdentifiers.qualified(Optional.of(schema), table);
        assertThat(tables.query("SELECT \"key col\", \"Region\"\"\", \"value\"\"); DROP TABLE victim; --\", \"Mixed Case\" FROM "
                + quoted)).containsExactly(List.of(1L, "eu", "A", 10));
        assertThat(tables.query("SELECT count(*) FROM victim")).containsExactly(List.of(0L));
    }

    private static void assertRows(String table, List<Sample> samples, int shift) throws Exception {
        List<Map<String, String>> actual = read(table);
        assertThat(actual).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String[] expected = samples.get((i + shift) % samples.size()).expected();
            for (int c = 0; c < ALL_TYPES.size(); c++) {
                String column = ALL_TYPES.get(c).name();
                String value = actual.get(i).get(column);
                String description = "row " + i + " column " + column;
                if (expected[c] != null && column.matches("arr|m|st")) {
                    assertThat(JSON.readTree(value)).as(description).isEqualTo(JSON.readTree(expected[c]));
                } else {
                    assertThat(value).as(description).isEqualTo(expected[c]);
                }
            }
        }
    }

    /**
     * The table's rows as text, read so each value's exact identity shows: doubles and reals through their
     * Java bits (so -0.0 and NaN count), numerics with their scale, timestamptz in UTC, bytea as hex.
     */
    private static List<Map<String, String>> read(String table) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<Object> row : tables.query("SELECT s, i, l, sh, b, d, f, dec::text, bool, dt::text, ts::text, ntz::text,"
                + " encode(bin, 'hex'), arr::text, m::text, st::text FROM " + table + " ORDER BY id")) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < ALL_TYPES.size(); c++) {
                Object value = row.get(c);
                String text;
                if (value == null) {
                    text = null;
                } else if (value instanceof Double number) {
                    text = Double.toString(number);
                    assertThat(Double.doubleToRawLongBits(number)).isEqualTo(Double.doubleToRawLongBits(Double.valueOf(text)));
                } else if (value instanceof Float number) {
                    text = Float.toString(number);
                } else {
                    text = value.toString();
                }
                values.put(ALL_TYPES.get(c).name(), text);
            }
            rows.add(values);
        }
        return rows;
    }

    private static Object[] withKey(long key, Object[] values) {
        Object[] all = new Object[values.length + 1];
        all[0] = key;
        System.arraycopy(values, 0, all, 1, values.length);
        return all;
    }

    private static scala.collection.Seq<Object> seq(Object... values) {
        return scala.collection.JavaConverters.asScalaBuffer(new ArrayList<>(Arrays.asList(values))).toList();
    }

    private static scala.collection.Map<Object, Object> scalaMap(Map<Object, Object> map) {
        return scala.collection.JavaConverters.mapAsScalaMap(map);
    }

    private static Map<Object, Object> linked(Object... keysAndValues) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}

package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.load.Destinations;
import io.backflow.testing.CrashingDestination;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change detection by value against a real PostgreSQL: a retyped column with equal values writes nothing, a
 * change of value family updates every row (guarded), and with {@code update_fields: changed} an update sets
 * only its changed columns, so an edit made at the destination to another column survives.
 */
class ValueChangeDetectionIT extends EndToEndTest {

    private static final int ROWS = 200;

    private static StructType schema(org.apache.spark.sql.types.DataType ltv,
            org.apache.spark.sql.types.DataType visits, org.apache.spark.sql.types.DataType score) {
        return new StructType().add("id", DataTypes.LongType, false).add("email", DataTypes.StringType)
                .add("ltv", ltv).add("visits", visits).add("score", score);
    }

    private static List<Row> rows(LongFunction<Object[]> values) {
        List<Row> rows = new ArrayList<>();
        for (long id = 1; id <= ROWS; id++) {
            Object[] rest = values.apply(id);
            Object[] all = new Object[rest.length + 2];
            all[0] = id;
            all[1] = "c" + id + "@example.com";
            System.arraycopy(rest, 0, all, 2, rest.length);
            rows.add(RowFactory.create(all));
        }
        return rows;
    }

    /** Counts every row PostgreSQL writes to {@code table}, in {@code table}_writes. */
    private static void countWrites(String table) {
        fixture.execute("CREATE TABLE " + table + "_writes (n bigint)");
        fixture.execute("INSERT INTO " + table + "_writes VALUES (0)");
        fixture.execute("CREATE FUNCTION " + table + "_count() RETURNS trigger AS $$ BEGIN UPDATE " + table
                + "_writes SET n = n + 1; RETURN NULL; END $$ LANGUAGE plpgsql");
        fixture.execute("CREATE TRIGGER " + table + "_count AFTER INSERT OR UPDATE OR DELETE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + table + "_count()");
    }

    private static long writes(String table) {
        return ((Number) fixture.query("SELECT n FROM " + table + "_writes").get(0).get(0)).longValue();
    }

    @Test
    void aRetypedColumnWithEqualValuesWritesNothingAndAFamilyChangeUpdatesEveryRowGuarded() {
        String sync = "retyped";
        SyncConfig config = fixture.config(sync, "[id]", "mirror", "public.retyped",
                "guards: {max_change_fraction: 0.5}");
        fixture.writeModel(sync, schema(DataTypes.createDecimalType(12, 2), DataTypes.IntegerType,
                DataTypes.FloatType), rows(id -> new Object[] {new BigDecimal(id + ".50"), (int) id * 3, 2.0f}));
        assertThat(fixture.run(config).status()).isEqualTo(RunStatus.SUCCEEDED);
        countWrites("retyped");

        // decimal(12,2) -> decimal(13,2), int -> bigint, float 2.0 -> decimal 2.00: the same values.
        fixture.writeModel(sync, schema(DataTypes.createDecimalType(13, 2), DataTypes.LongType,
                DataTypes.createDecimalType(10, 2)), rows(id -> new Object[] {new BigDecimal(id + ".50"), id * 3,
                        new BigDecimal("2.00")}));
        RunSummary widened = fixture.run(config);

        assertThat(widened.status()).as(widened.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(widened.sentCounts().values()).as(widened.message()).allMatch(count -> count == 0);
        assertThat(widened.requests()).isZero();
        assertThat(writes("retyped")).isZero();
        assertThat(widened.message()).contains("column 'ltv' changed type from decimal(12,2) to decimal(13,2)")
                .contains("compared by value");
        // The snapshot took the new types and keeps its values.
        assertThat(fixture.snapshot(config).read().schema().apply("ltv").dataType())
                .isEqualTo(DataTypes.createDecimalType(13, 2));
        assertThat(fixture.snapshot(config).read().where("id = 7").first().<BigDecimal>getAs("ltv"))
                .isEqualByComparingTo("7.50");

        // The next night, 1% of ltv changes (as ltv + 1): only those rows, only that column.
        fixture.writeModel(sync, schema(DataTypes.createDecimalType(13, 2), DataTypes.LongType,
                DataTypes.createDecimalType(10, 2)), rows(id -> new Object[] {new BigDecimal(id + ".50")
                        .add(id <= 2 ? BigDecimal.ONE : BigDecimal.ZERO), id * 3, new BigDecimal("2.00")}));
        RunSummary changed = fixture.run(config);

        assertThat(changed.status()).as(changed.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(changed.sentCounts()).containsEntry("UPDATE", 2L).containsEntry("INSERT", 0L);
        assertThat(changed.updatesByColumn()).isEqualTo(Map.of("ltv", 2L));
        assertThat(writes("retyped")).isEqualTo(2);

        // ltv becomes text: a different representation, so every row is an update, and the guard stops it.
        fixture.writeModel(sync, schema(DataTypes.StringType, DataTypes.LongType,
                DataTypes.createDecimalType(10, 2)), rows(id -> new Object[] {id + ".50", id * 3,
                        new BigDecimal("2.00")}));
        RunSummary text = fixture.run(config);

        assertThat(text.status()).isEqualTo(RunStatus.STOPPED_BY_GUARD);
        assertThat(text.diffCount("UPDATE")).isEqualTo(ROWS);
        assertThat(text.updatesByColumn()).isEqualTo(Map.of("ltv", (long) ROWS));
        assertThat(text.message()).contains("column 'ltv' changed type from decimal(13,2) to string")
                .contains("every row is sent as an update");
        assertThat(writes("retyped")).isEqualTo(2);
    }

    @Test
    void changedFieldsOnlyKeepsAnEditMadeAtTheDestinationToAnotherColumn() {
        String sync = "changed_only";
        StructType schema = schema(DataTypes.createDecimalType(12, 2), DataTypes.IntegerType, DataTypes.DoubleType);
        SyncConfig config = fixture.config(sync, "[id]", "mirror", "public.changed_only", "update_fields: changed");
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + ".00"), (int) id, 0.5}));
        assertThat(fixture.run(config).status()).isEqualTo(RunStatus.SUCCEEDED);
        // Someone edits key 5's email by hand; the model then changes key 5's ltv and key 6's email.
        fixture.execute("UPDATE public.changed_only SET email = 'edited@example.com' WHERE id = 5");
        // A row deleted at the destination comes back whole when its update arrives.
        fixture.execute("DELETE FROM public.changed_only WHERE id = 9");
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + (id == 5 || id == 9 ? ".99"
                : ".00")), (int) id, 0.5}).stream().map(row -> row.getLong(0) == 6 ? RowFactory.create(6L,
                        "new6@example.com", row.get(2), row.get(3), row.get(4)) : row).toList());

        RunSummary run;
        try (io.backflow.testing.LogCapture log = new io.backflow.testing.LogCapture()) {
            run = fixture.run(config);
            // The commit's broadcast of the delivered keys is part of the MERGE's join, not left dangling.
            assertThat(log.text()).doesNotContain("join hint");
        }

        assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.updatesByColumn()).isEqualTo(Map.of("ltv", 2L, "email", 1L));
        assertThat(fixture.query("SELECT email, ltv::text FROM public.changed_only WHERE id = 5"))
                .containsExactly(List.of("edited@example.com", "5.99"));
        assertThat(fixture.query("SELECT email, ltv::text FROM public.changed_only WHERE id = 6"))
                .containsExactly(List.of("new6@example.com", "6.00"));
        assertThat(fixture.query("SELECT email, ltv::text, visits FROM public.changed_only WHERE id = 9"))
                .containsExactly(List.of("c9@example.com", "9.99", 9));
        // The plan names each update's changed columns.
        List<Row> plan = fixture.spark.read().format("delta").load(config.syncStatePath() + "/plans/" + run.runId())
                .where(Columns.quoted(Columns.OPERATION) + " = 'UPDATE'").orderBy("id").collectAsList();
        assertThat(plan).extracting(row -> row.getList(row.fieldIndex(Columns.CHANGED)))
                .containsExactly(List.of("ltv"), List.of("email"), List.of("ltv"));
    }

    @Test
    void planShowsOldAndNewValuesAndFailuresKeepTheChangedColumns() {
        String sync = "changed_shown";
        StructType schema = schema(DataTypes.createDecimalType(12, 2), DataTypes.IntegerType, DataTypes.DoubleType);
        SyncConfig config = fixture.config(sync, "[id]", "mirror", "public.changed_shown", "update_fields: changed");
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + ".00"), (int) id, 0.5}));
        assertThat(fixture.run(config).status()).isEqualTo(RunStatus.SUCCEEDED);
        // PostgreSQL refuses a negative ltv: that update fails, the other is delivered.
        fixture.execute("ALTER TABLE public.changed_shown ADD CONSTRAINT ltv_positive CHECK (ltv >= 0)");
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id == 3 ? "-3.00"
                : id == 4 ? "44.50" : id + ".00"), (int) id, id == 4 ? 0.75 : 0.5}));

        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        SyncRun syncRun = new SyncRun(fixture.spark, config, Destinations.create(config.destination()),
                io.backflow.load.Sleeper.SYSTEM);
        RunSummary plan = syncRun.plan();
        new PlanPrinter(fixture.spark, config, new java.io.PrintStream(printed, true,
                java.nio.charset.StandardCharsets.UTF_8)).print(plan);

        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("id=3 ltv: 3.00 \u2192 -3.00")
                .contains("id=4 ltv: 4.00 \u2192 44.50  score: 0.5 \u2192 0.75");
        assertThat(plan.updatesByColumn()).isEqualTo(Map.of("ltv", 2L, "score", 1L));

        RunSummary run = fixture.run(config);

        assertThat(run.status()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
        List<Row> failed = new FailureReport(fixture.spark, new io.backflow.state.StateLayout(config.syncStatePath()),
                config.key()).records(run.runId(), 10);
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).<Long>getAs("id")).isEqualTo(3L);
        assertThat(failed.get(0).getList(failed.get(0).fieldIndex("changed_columns"))).containsExactly("ltv");
        assertThat(fixture.query("SELECT ltv::text, score FROM public.changed_shown WHERE id = 4"))
                .containsExactly(List.of("44.50", 0.75));
    }

    @Test
    void aCrashMidLoadThenAModelChangeConvergesBecausePendingKeysSendEveryColumn() {
        String sync = "changed_crash";
        StructType schema = schema(DataTypes.createDecimalType(12, 2), DataTypes.IntegerType, DataTypes.DoubleType);
        SyncConfig config = fixture.config(sync, "[id]", "mirror", "public.changed_crash", "update_fields: changed");
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + ".00"), (int) id, 0.5}));
        assertThat(fixture.run(config).status()).isEqualTo(RunStatus.SUCCEEDED);

        // Every row's ltv changes; the run dies after its writers applied a batch each.
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + ".77"), (int) id, 0.5}));
        RunSummary crashed = fixture.run(config, new CrashingDestination(Destinations.create(config.destination()), 1),
                RunOptions.defaults());
        assertThat(crashed.exitCode()).as(crashed.message()).isEqualTo(4);

        // Then ltv goes back to the snapshot's value and visits changes: a changed-columns-only update would
        // send visits alone and leave the crashed run's ltv at the destination.
        fixture.writeModel(sync, schema, rows(id -> new Object[] {new BigDecimal(id + ".00"), (int) id + 1000, 0.5}));
        RunSummary repaired = fixture.run(config);

        assertThat(repaired.status()).as(repaired.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fixture.differences(sync, "public.changed_crash")).isZero();
        RunSummary after = fixture.run(config);
        assertThat(after.sentCounts().values()).allMatch(count -> count == 0);
        assertThat(Optional.of(after.status())).contains(RunStatus.SUCCEEDED);
    }
}

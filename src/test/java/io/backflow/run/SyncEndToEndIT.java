package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Full runs against Spark local, Delta and a real PostgreSQL: what each mode sends, and convergence. */
class SyncEndToEndIT extends EndToEndTest {

    static final StructType CUSTOMERS = new StructType()
            .add("customer_id", DataTypes.LongType, false)
            .add("email", DataTypes.StringType)
            .add("full_name", DataTypes.StringType)
            .add("lifetime_value", DataTypes.createDecimalType(12, 2))
            .add("churn_score", DataTypes.DoubleType)
            .add("is_active", DataTypes.BooleanType)
            .add("signup_date", DataTypes.DateType)
            .add("last_order_at", DataTypes.TimestampType)
            .add("segment", DataTypes.StringType);

    private static final String[] NAMES = {"Zoë Ådne", "李小龍 🚀", "O'Brien, \"Óli\"", "tab\there\nnewline",
        "back\\slash|pipe", ""};

    static Row customer(long id, String ltv, String segment) {
        return RowFactory.create(id, "c" + id + "@example.com", NAMES[(int) (id % NAMES.length)],
                new BigDecimal(ltv), id / 7.0, id % 2 == 0, Date.valueOf("2021-03-" + (10 + id % 18)),
                Timestamp.valueOf("2024-02-29 23:59:59.123456"), segment);
    }

    static List<Row> customers(long from, long to, LongFunction<String> ltv) {
        List<Row> rows = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            rows.add(customer(id, ltv.apply(id), id % 3 == 0 ? null : "gold"));
        }
        return rows;
    }

    @Test
    void mirrorSyncInsertsEverythingThenSendsOnlyWhatChanged() {
        SyncConfig config = fixture.config("mirror_customers", "[customer_id]", "mirror", "public.mirror_customers");
        fixture.writeModel("mirror_customers", CUSTOMERS, customers(1, 300, id -> id + ".50"));

        RunSummary first = fixture.run(config);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.sentCounts()).containsEntry("INSERT", 300L).containsEntry("UPDATE", 0L)
                .containsEntry("DELETE", 0L);
        assertThat(first.delivered()).isEqualTo(300);
        assertThat(fixture.differences("mirror_customers", "public.mirror_customers")).isZero();
        long versionAfterFirst = first.snapshotVersionAfter().orElseThrow();

        RunSummary unchanged = fixture.run(config);

        assertThat(unchanged.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(unchanged.sentCounts().values()).allMatch(count -> count == 0);
        assertThat(unchanged.requests()).isZero();
        assertThat(unchanged.snapshotVersionAfter()).isEmpty();
        assertThat(fixture.snapshot(config).version()).contains(versionAfterFirst);

        // ids 1-20 leave, 21-60 change value, 301-330 arrive
        List<Row> next = customers(21, 330, id -> id <= 60 ? id + ".75" : id + ".50");
        fixture.writeModel("mirror_customers", CUSTOMERS, next);

        RunSummary changed = fixture.run(config);

        assertThat(changed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(changed.sentCounts()).isEqualTo(Map.of("INSERT", 30L, "UPDATE", 40L, "DELETE", 20L));
        assertThat(changed.delivered()).isEqualTo(90);
        assertThat(fixture.differences("mirror_customers", "public.mirror_customers")).isZero();
        assertThat(fixture.snapshot(config).rowCount()).isEqualTo(310);
    }

    @Test
    void upsertModeNeverDeletes() {
        SyncConfig config = fixture.config("upsert_customers", "[customer_id]", "upsert", "upsert_customers");
        fixture.writeModel("upsert_customers", CUSTOMERS, customers(1, 50, id -> "1.00"));
        fixture.run(config);
        fixture.writeModel("upsert_customers", CUSTOMERS, customers(11, 60, id -> "2.00"));

        RunSummary second = fixture.run(config);

        assertThat(second.diffCounts()).containsEntry("DELETE", 10L);
        assertThat(second.sentCounts()).isEqualTo(Map.of("INSERT", 10L, "UPDATE", 40L));
        assertThat(fixture.count("upsert_customers")).isEqualTo(60);
        assertThat(fixture.query("SELECT count(*) FROM upsert_customers WHERE lifetime_value = 1.00 "
                + "AND customer_id <= 10").get(0).get(0)).isEqualTo(10L);
    }

    @Test
    void insertModeCreatesNewRowsAndNeverTouchesExistingOnes() {
        SyncConfig config = fixture.config("insert_customers", "[customer_id]", "insert", "insert_customers");
        fixture.writeModel("insert_customers", CUSTOMERS, customers(1, 20, id -> "1.00"));
        fixture.run(config);
        fixture.writeModel("insert_customers", CUSTOMERS, customers(6, 30, id -> "2.00"));

        RunSummary second = fixture.run(config);

        assertThat(second.sentCounts()).isEqualTo(Map.of("INSERT", 10L));
        assertThat(fixture.count("insert_customers")).isEqualTo(30);
        assertThat(fixture.query("SELECT count(*) FROM insert_customers WHERE lifetime_value = 1.00").get(0).get(0))
                .isEqualTo(20L);
    }

    @Test
    void updateModeChangesOnlyRowsTheDestinationAlreadyHas() {
        fixture.execute("CREATE TABLE update_customers (customer_id bigint PRIMARY KEY, email text, full_name text, "
                + "lifetime_value numeric(12,2), churn_score double precision, is_active boolean, signup_date date, "
                + "last_order_at timestamptz, segment text)");
        fixture.execute("INSERT INTO update_customers (customer_id, email) SELECT g, 'old' FROM generate_series(1, 10) g");
        SyncConfig config = fixture.config("update_customers", "[customer_id]", "update", "update_customers");
        fixture.writeModel("update_customers", CUSTOMERS, customers(6, 15, id -> "3.00"));

        RunSummary run = fixture.run(config);

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.delivered()).isEqualTo(5);
        assertThat(run.skipped()).isEqualTo(5);
        assertThat(fixture.count("update_customers")).isEqualTo(10);
        assertThat(fixture.query("SELECT customer_id FROM update_customers WHERE email = 'old' ORDER BY 1"))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L), List.of(4L), List.of(5L));

        RunSummary unchanged = fixture.run(config);

        assertThat(unchanged.sentCounts().values()).as("skipped rows are not resent every run")
                .allMatch(count -> count == 0);
    }

    @Test
    void aValueMovingBetweenNullableColumnsOrAcrossASeparatorIsAnUpdate() {
        StructType pairs = new StructType().add("id", DataTypes.IntegerType, false)
                .add("a", DataTypes.StringType).add("b", DataTypes.StringType);
        SyncConfig config = fixture.config("hash_pairs", "[id]", "mirror", "hash_pairs");
        fixture.writeModel("hash_pairs", pairs, List.of(RowFactory.create(1, null, "x"),
                RowFactory.create(2, "a|b", "c"), RowFactory.create(3, "same", null)));
        fixture.run(config);
        fixture.writeModel("hash_pairs", pairs, List.of(RowFactory.create(1, "x", null),
                RowFactory.create(2, "a", "b|c"), RowFactory.create(3, "same", null)));

        RunSummary second = fixture.run(config);

        assertThat(second.sentCounts()).containsEntry("UPDATE", 2L).containsEntry("INSERT", 0L);
        assertThat(fixture.differences("hash_pairs", "hash_pairs")).isZero();
    }

    @Test
    void sqlQueriesAndCatalogTablesAreSourcesToo() {
        fixture.spark.createDataFrame(customers(1, 40, id -> id + ".00"), CUSTOMERS)
                .createOrReplaceTempView("customer_scores");
        String parquetSource = "source: {type: table, format: parquet, path: '" + fixture.modelPath("from_sql") + "'}";
        SyncConfig fromSql = fixture.parse(fixture.yaml("from_sql", "[customer_id]", "mirror", "from_sql")
                .replace(parquetSource, "source: {type: sql, query: 'SELECT customer_id, lifetime_value "
                        + "FROM customer_scores WHERE customer_id <= 30'}"));
        String tableSource = "source: {type: table, format: parquet, path: '" + fixture.modelPath("from_table") + "'}";
        SyncConfig fromTable = fixture.parse(fixture.yaml("from_table", "[customer_id]", "mirror", "from_table")
                .replace(tableSource, "source: {type: table, table: customer_scores}"));

        assertThat(fixture.run(fromSql).sentCounts()).containsEntry("INSERT", 30L);
        assertThat(fixture.run(fromTable).sentCounts()).containsEntry("INSERT", 40L);
        assertThat(fixture.query("SELECT count(*), sum(lifetime_value) FROM from_sql").get(0))
                .containsExactly(30L, new BigDecimal("465.00"));
        assertThat(fixture.count("from_table")).isEqualTo(40);
    }

    @Test
    void compositeKeysIdentifyRows() {
        StructType scores = new StructType().add("region", DataTypes.StringType, false)
                .add("account", DataTypes.IntegerType, false).add("score", DataTypes.DoubleType);
        SyncConfig config = fixture.config("regional_scores", "[region, account]", "mirror", "regional_scores",
                "guards: {max_delete_fraction: 0.5}");
        fixture.writeModel("regional_scores", scores, List.of(RowFactory.create("eu", 1, 0.5),
                RowFactory.create("us", 1, 0.6), RowFactory.create("eu", 2, 0.7)));
        fixture.run(config);
        fixture.writeModel("regional_scores", scores, List.of(RowFactory.create("eu", 1, 0.5),
                RowFactory.create("us", 1, 0.9), RowFactory.create("us", 2, 0.1)));

        RunSummary second = fixture.run(config);

        assertThat(second.sentCounts()).isEqualTo(Map.of("INSERT", 1L, "UPDATE", 1L, "DELETE", 1L));
        assertThat(fixture.differences("regional_scores", "regional_scores")).isZero();
    }
}

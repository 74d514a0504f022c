package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.testing.LogCapture;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile names, secrets and the rate limit, end to end. */
class SyncSafetyIT extends EndToEndTest {

    @Test
    void namesWithQuotesAndSpacesAreQuotedAndCannotInjectSql() {
        StructType odd = new StructType().add("id", DataTypes.IntegerType, false)
                .add("e\"mail", DataTypes.StringType)
                .add("it's", DataTypes.StringType)
                .add("x\"; DROP TABLE victims; --", DataTypes.StringType);
        fixture.execute("CREATE TABLE victims (id int)");
        String table = "public.we\"ird table'; DROP TABLE victims; --";
        SyncConfig config = fixture.config("odd_names", "[id]", "mirror", table);
        List<Row> rows = List.of(RowFactory.create(1, "a@x", "it is", "v1"), RowFactory.create(2, null, "'", "\""));
        fixture.writeModel("odd_names", odd, rows);

        RunSummary run = fixture.run(config);

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        String quoted = "public.\"we\"\"ird table'; DROP TABLE victims; --\"";
        // Spark's own JDBC reader cannot quote such names, so read them back with plain SQL.
        assertThat(fixture.query("SELECT id, \"e\"\"mail\", \"it's\", \"x\"\"; DROP TABLE victims; --\" FROM "
                + quoted + " ORDER BY id")).containsExactly(List.of(1, "a@x", "it is", "v1"),
                java.util.Arrays.asList(2, null, "'", "\""));
        assertThat(fixture.count("victims")).isZero();
    }

    @Test
    void passwordsNeverAppearInLogsReportsOrState() throws IOException {
        StructType accounts = new StructType().add("id", DataTypes.IntegerType, false).add("v", DataTypes.StringType);
        // Trust authentication accepts any password, so a real one can be configured and must stay hidden.
        SyncConfig config = fixture.parse(fixture.yaml("secret_sync", "[id]", "mirror", "secret_sync")
                + "\n  password: ${env:TEST_DB_PASSWORD}");
        fixture.writeModel("secret_sync", accounts, List.of(RowFactory.create(1, "a")));

        String logs;
        RunSummary run;
        try (LogCapture capture = new LogCapture()) {
            run = fixture.run(config);
            logs = capture.text();
        }

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(logs).contains("Starting run of 'secret_sync'").doesNotContain("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2");
        assertThat(run.summaryLine()).doesNotContain("hunter2");
        try (Stream<Path> files = Files.walk(Path.of(fixture.statePath(), "secret_sync"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void noSecondSeesMoreBatchesThanTheRateLimitAcrossAllWriters() {
        int limit = 4;
        fixture.execute("CREATE TABLE rated (id int PRIMARY KEY, v text)");
        fixture.execute("CREATE TABLE rated_batches (started_at timestamptz)");
        // now() is the transaction's start: one batch transaction = one request
        fixture.execute("CREATE FUNCTION log_batch() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN INSERT INTO rated_batches VALUES (now()); RETURN NULL; END $$");
        fixture.execute("CREATE TRIGGER rated_log AFTER INSERT ON rated FOR EACH STATEMENT EXECUTE FUNCTION log_batch()");
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("v", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int id = 1; id <= 240; id++) {
            rows.add(RowFactory.create(id, "v" + id));
        }
        fixture.writeModel("rated", schema, rows);
        SyncConfig config = fixture.parse(fixture.yaml("rated", "[id]", "upsert", "rated",
                "rate_limit: {requests_per_second: " + limit + "}").replace("batch_size: 50", "batch_size: 10"));

        RunSummary run = fixture.run(config, Destinations.create(config.destination()), RunOptions.defaults());

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Instant> starts = fixture.query("SELECT started_at FROM rated_batches ORDER BY 1").stream()
                .map(row -> ((Timestamp) row.get(0)).toInstant()).toList();
        assertThat(starts).hasSizeBetween(24, 26);
        int busiest = 0;
        for (Instant start : starts) {
            busiest = Math.max(busiest, (int) starts.stream()
                    .filter(other -> !other.isBefore(start) && other.isBefore(start.plusSeconds(1))).count());
        }
        assertThat(busiest).isLessThanOrEqualTo(limit);
        assertThat(fixture.count("rated")).isEqualTo(240);
        // 24 batches at 4/s cannot start within less than ~5.5 s: the limiter really spaced them. (No upper
        // bound: on a loaded machine writers may start late, which the limit allows.)
        double seconds = java.time.Duration.between(starts.get(0), starts.get(starts.size() - 1)).toMillis() / 1000.0;
        assertThat(seconds).isGreaterThanOrEqualTo(5.5);
    }
}

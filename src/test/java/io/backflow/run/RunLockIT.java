package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.state.RunLock;
import io.backflow.state.StateLayout;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One run of a sync at a time. */
class RunLockIT extends EndToEndTest {

    private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType, false)
            .add("v", DataTypes.StringType);

    private static List<Row> rows(int count) {
        List<Row> rows = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            rows.add(RowFactory.create(id, "v" + id));
        }
        return rows;
    }

    @Test
    void twoRunsStartedTogetherSendOnce() throws Exception {
        fixture.execute("CREATE TABLE contended (id int PRIMARY KEY, v text)");
        fixture.execute("CREATE TABLE contended_writes (id int)");
        fixture.execute("CREATE FUNCTION count_write() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN INSERT INTO contended_writes VALUES (NEW.id); RETURN NULL; END $$");
        fixture.execute("CREATE TRIGGER contended_count AFTER INSERT OR UPDATE ON contended FOR EACH ROW "
                + "EXECUTE FUNCTION count_write()");
        fixture.writeModel("contended", SCHEMA, rows(200));
        SyncConfig config = fixture.config("contended", "[id]", "mirror", "contended");
        CountDownLatch start = new CountDownLatch(1);

        List<CompletableFuture<RunSummary>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return fixture.run(config);
            }));
        }
        start.countDown();
        List<RunSummary> summaries = new ArrayList<>();
        for (CompletableFuture<RunSummary> run : runs) {
            summaries.add(run.get(5, TimeUnit.MINUTES));
        }

        assertThat(summaries).extracting(RunSummary::exitCode).containsExactlyInAnyOrder(0, 3);
        RunSummary winner = summaries.stream().filter(summary -> summary.exitCode() == 0).findFirst().orElseThrow();
        RunSummary loser = summaries.stream().filter(summary -> summary.exitCode() == 3).findFirst().orElseThrow();
        assertThat(loser.message()).contains("run " + winner.runId()).contains("holds the sync's lock");
        assertThat(loser.requests()).isZero();
        assertThat(fixture.count("contended_writes")).as("no change sent twice").isEqualTo(200);
        assertThat(new RunLock(fixture.spark, new StateLayout(config.syncStatePath()), "contended",
                Clock.systemUTC()).holder()).as("released").isEmpty();
    }

    @Test
    void aLockLeftByADeadRunStopsTheNextUntilForcedOrExpired() {
        fixture.writeModel("abandoned", SCHEMA, rows(10));
        SyncConfig config = fixture.config("abandoned", "[id]", "mirror", "abandoned", "lock_timeout_minutes: 60");
        StateLayout layout = new StateLayout(config.syncStatePath());
        new RunLock(fixture.spark, layout, "abandoned", Clock.systemUTC())
                .acquire("20260101T000000Z-dead01", Duration.ofMinutes(60), false);

        RunSummary stopped = fixture.run(config);

        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.message()).contains("run 20260101T000000Z-dead01 started").contains("rerun with --force");
        assertThat(fixture.query("SELECT to_regclass('abandoned') IS NULL").get(0).get(0)).isEqualTo(true);

        RunSummary forced = fixture.run(config, Destinations.create(config.destination()),
                new RunOptions(Optional.of("previous run was killed"), false));

        assertThat(forced.exitCode()).isZero();
        assertThat(fixture.count("abandoned")).isEqualTo(10);

        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        new RunLock(fixture.spark, layout, "abandoned", twoHoursAgo)
                .acquire("20260101T000000Z-dead02", Duration.ofMinutes(60), false);

        assertThat(fixture.run(config).exitCode()).as("an expired lock is taken over").isZero();
    }
}

package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.state.StateLayout;
import io.backflow.testing.CrashingDestination;
import io.backflow.testing.EndToEndTest;
import io.backflow.testing.WriteAudit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.backflow.run.SyncFailuresIT.ACCOUNTS;
import static io.backflow.run.SyncFailuresIT.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that dies mid-load is resumed by the next run: the plan is loaded again without a new diff when the
 * model is unchanged, and batches already delivered are not sent again; a changed model is replanned.
 */
class SyncResumeIT extends EndToEndTest {

    private static final int ROWS = 1000;
    private static final int WRITERS = 2;
    private static final int BATCH_SIZE = 50;

    @Test
    void resumesAnInterruptedLoadWithoutResendingWhatItDelivered() {
        WriteAudit audit = WriteAudit.create(fixture, "resumed_accounts", "account_id", "lifetime_value");
        SyncConfig config = fixture.config("resumed_accounts", "[account_id]", "mirror", "resumed_accounts");
        fixture.writeModel("resumed_accounts", ACCOUNTS, accounts(1, ROWS, "1.00"));

        RunSummary crashed = crashAfterBatches(config, 3);

        long deliveredBeforeCrash = audit.writes();
        assertThat(deliveredBeforeCrash).as("the crash came mid-load").isBetween(1L, ROWS - 1L);

        RunSummary resumed = fixture.run(config);

        assertThat(resumed.status()).as(resumed.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.message()).contains("Resuming run " + crashed.runId() + ", which died while loading")
                .contains("changes delivered by run " + crashed.runId() + " before it died were not sent again");
        assertThat(resumed.delivered()).isEqualTo(ROWS);
        assertThat(fixture.differences("resumed_accounts", "resumed_accounts")).isZero();
        assertThat(audit.repeatedWrites()).as("records sent twice: each dying writer's unacknowledged batch")
                .isBetween(1L, (long) WRITERS * BATCH_SIZE);
        assertThat(audit.writes()).isEqualTo(ROWS + audit.repeatedWrites());
        assertThat(fixture.run(config).sentCounts().values()).as("the resumed run committed the whole plan")
                .allMatch(count -> count == 0);
    }

    @Test
    void reportsRecordsRejectedBeforeTheCrashAgainWhenResuming() {
        WriteAudit.create(fixture, "rejecting_accounts", "account_id", "lifetime_value");
        fixture.execute("ALTER TABLE rejecting_accounts ADD CONSTRAINT small CHECK (lifetime_value < 100)");
        SyncConfig config = fixture.config("rejecting_accounts", "[account_id]", "mirror", "rejecting_accounts");
        List<Row> model = accounts(1, ROWS, "1.00");
        // Key 2 is among the smallest keys of its writer's partition, so it is in the first batch. Isolating it
        // takes 1 + 2 requests per halving of the 50 records (about 13); the writers die after their 16th
        // request, so that batch was delivered and logged before.
        model.set(1, RowFactory.create(2, new BigDecimal("500.00")));
        fixture.writeModel("rejecting_accounts", ACCOUNTS, model);
        crashAfterBatches(config, 15);

        RunSummary resumed = fixture.run(config);

        assertThat(resumed.message()).contains("Resuming run").contains("were not sent again");
        assertThat(resumed.status()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
        assertThat(resumed.failed()).isEqualTo(1);
        List<Row> failures = fixture.failures(config, resumed.runId()).collectAsList();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).<Integer>getAs("account_id")).isEqualTo(2);
        assertThat(failures.get(0).<String>getAs("error_message")).contains("small");

        fixture.execute("ALTER TABLE rejecting_accounts DROP CONSTRAINT small");
        RunSummary next = fixture.run(config);

        assertThat(next.sentCounts()).containsEntry("INSERT", 1L);
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fixture.differences("rejecting_accounts", "rejecting_accounts")).isZero();
    }

    @Test
    void replansWhenTheModelChangedSinceTheInterruptedPlan() {
        SyncConfig config = fixture.config("changed_accounts", "[account_id]", "mirror", "changed_accounts");
        fixture.writeModel("changed_accounts", ACCOUNTS, accounts(1, ROWS, "1.00"));
        RunSummary crashed = crashAfterBatches(config, 3);
        fixture.writeModel("changed_accounts", ACCOUNTS, accounts(1, ROWS, "2.00"));

        RunSummary replanned = fixture.run(config);

        assertThat(replanned.status()).as(replanned.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(replanned.message()).contains("Run " + crashed.runId() + " died while loading, and the model "
                + "changed since it was planned (1000 rows then, 1000 now, different values): replanning");
        assertThat(fixture.differences("changed_accounts", "changed_accounts")).isZero();
    }

    @Test
    void replansWhenTheLoadSettingsChangedSinceTheInterruptedPlan() {
        SyncConfig config = fixture.config("resized_accounts", "[account_id]", "mirror", "resized_accounts");
        fixture.writeModel("resized_accounts", ACCOUNTS, accounts(1, ROWS, "1.00"));
        RunSummary crashed = crashAfterBatches(config, 3);
        SyncConfig moreWriters = fixture.parse(fixture.yaml("resized_accounts", "[account_id]", "mirror",
                "resized_accounts").replace("writers: 2", "writers: 3"));

        RunSummary replanned = fixture.run(moreWriters);

        assertThat(replanned.status()).as(replanned.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(replanned.message()).contains("Run " + crashed.runId() + " died while loading, and the load "
                + "settings changed since (writers=2 batch_size=50").contains("writers=3 batch_size=50");
        assertThat(fixture.differences("resized_accounts", "resized_accounts")).isZero();
    }

    @Test
    void aPlanMarkedStartedByAnEarlierVersionIsResentInFullNotResumed() throws Exception {
        SyncConfig config = fixture.config("legacy_accounts", "[account_id]", "mirror", "legacy_accounts");
        fixture.writeModel("legacy_accounts", ACCOUNTS, accounts(1, ROWS, "1.00"));
        RunSummary crashed = crashAfterBatches(config, 3);
        // As versions before the start file recorded it: a property of the plan table.
        StateLayout layout = new StateLayout(config.syncStatePath());
        org.apache.hadoop.fs.Path startFile = new org.apache.hadoop.fs.Path(layout.progress(crashed.runId()),
                "_started.json");
        assertThat(startFile.getFileSystem(fixture.spark.sparkContext().hadoopConfiguration()).delete(startFile, false))
                .isTrue();
        fixture.spark.sql("ALTER TABLE delta.`" + layout.plans() + "/" + crashed.runId()
                + "` SET TBLPROPERTIES ('backflow.load_started' = 'true')");

        RunSummary next = fixture.run(config);

        assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.message()).contains("Run " + crashed.runId() + " died while loading, and its plan cannot be "
                + "resumed");
        assertThat(fixture.differences("legacy_accounts", "legacy_accounts")).isZero();
    }

    /** A run whose writers die, as a killed executor would, each after its request {@code batches + 1}. */
    private static RunSummary crashAfterBatches(SyncConfig config, int batches) {
        RunSummary crashed = fixture.run(config,
                new CrashingDestination(Destinations.create(config.destination()), batches), RunOptions.defaults());
        assertThat(crashed.exitCode()).as(crashed.message()).isEqualTo(4);
        return crashed;
    }
}

package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.load.Destinations;
import io.backflow.load.LoadResults;
import io.backflow.state.FailureStore;
import io.backflow.state.PlanStore;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import io.backflow.testing.CrashingDestination;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input, rejected records, a run dying mid-load and guard stops: told clearly, nothing lost. */
class SyncFailuresIT extends EndToEndTest {

    static final StructType ACCOUNTS = new StructType()
            .add("account_id", DataTypes.IntegerType, true)
            .add("lifetime_value", DataTypes.createDecimalType(12, 2));

    static List<Row> accounts(int from, int to, String value) {
        List<Row> rows = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            rows.add(RowFactory.create(id, new BigDecimal(value)));
        }
        return rows;
    }

    @Test
    void nullKeysStopTheRunBeforeAnythingIsSent() {
        SyncConfig config = fixture.config("null_keys", "[account_id]", "mirror", "null_keys");
        List<Row> rows = accounts(1, 10, "1.00");
        rows.add(RowFactory.create(null, new BigDecimal("2.00")));
        rows.add(RowFactory.create(null, new BigDecimal("3.00")));
        fixture.writeModel("null_keys", ACCOUNTS, rows);

        RunSummary run = fixture.run(config);

        assertThat(run.status()).isEqualTo(RunStatus.INVALID_INPUT);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).startsWith("Cannot sync 'null_keys': 2 rows have a null key (key = [account_id]); "
                + "first: account_id=null").contains("Nothing was sent and the snapshot is unchanged");
        assertThat(fixture.query("SELECT to_regclass('null_keys') IS NULL").get(0).get(0))
                .as("the destination is not even touched: create_table waits for the checks").isEqualTo(true);
        assertThat(fixture.snapshot(config).exists()).isFalse();
    }

    @Test
    void aKeyOrColumnMissingFromTheModelIsNamedAndNothingIsSent() {
        SyncConfig config = fixture.config("missing_columns", "[account]", "mirror", "missing_columns",
                "columns: [lifetime_value, score]");
        fixture.writeModel("missing_columns", ACCOUNTS, accounts(1, 3, "1.00"));

        RunSummary run = fixture.run(config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).isEqualTo("Cannot sync 'missing_columns': key column 'account' is not in the "
                + "model; column 'score' is not in the model. The model has columns [account_id, lifetime_value].");
        assertThat(fixture.query("SELECT to_regclass('missing_columns') IS NULL").get(0).get(0)).isEqualTo(true);
    }

    @Test
    void duplicateKeysAreNamedWithCountsAndNothingIsSent() {
        SyncConfig config = fixture.config("duplicate_keys", "[account_id]", "mirror", "duplicate_keys");
        fixture.writeModel("duplicate_keys", ACCOUNTS, accounts(1, 10, "1.00"));
        fixture.run(config);
        List<Row> rows = accounts(1, 10, "5.00");
        rows.addAll(accounts(4, 4, "6.00"));
        rows.addAll(accounts(4, 4, "7.00"));
        rows.addAll(accounts(9, 9, "8.00"));
        fixture.writeModel("duplicate_keys", ACCOUNTS, rows);
        long snapshotVersion = fixture.snapshot(config).version().orElseThrow();

        RunSummary run = fixture.run(config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.message()).isEqualTo("Cannot sync 'duplicate_keys': 2 keys appear more than once (5 rows, "
                + "key = [account_id]); first: account_id=4 (3 rows); account_id=9 (2 rows). Nothing was sent and "
                + "the snapshot is unchanged; fix the model's key.");
        assertThat(fixture.query("SELECT DISTINCT lifetime_value FROM duplicate_keys"))
                .containsExactly(List.of(new BigDecimal("1.00")));
        assertThat(fixture.snapshot(config).version()).contains(snapshotVersion);
    }

    @Test
    void aRejectedRecordFailsAloneAndIsSentAgainOnceFixedWithItsNewestValue() {
        fixture.execute("CREATE TABLE checked_accounts (account_id integer PRIMARY KEY, "
                + "lifetime_value numeric(12,2) CONSTRAINT ltv_below_limit CHECK (lifetime_value < 1000))");
        SyncConfig config = fixture.config("checked_accounts", "[account_id]", "mirror", "checked_accounts");
        fixture.writeModel("checked_accounts", ACCOUNTS, accounts(1, 100, "1.00"));
        fixture.run(config);
        assertThat(pendingKeys(config)).as("nothing failed, so the next diff adds no pending-key join").isEmpty();
        List<Row> withBadValue = accounts(1, 100, "2.00");
        withBadValue.set(41, RowFactory.create(42, new BigDecimal("5000.00")));
        fixture.writeModel("checked_accounts", ACCOUNTS, withBadValue);

        RunSummary rejected = fixture.run(config);

        assertThat(rejected.status()).isEqualTo(RunStatus.FINISHED_WITH_FAILURES);
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.delivered()).isEqualTo(99);
        assertThat(rejected.failed()).isEqualTo(1);
        List<Row> failures = fixture.failures(config, rejected.runId()).collectAsList();
        assertThat(failures).hasSize(1);
        Row failure = failures.get(0);
        assertThat(failure.<Integer>getAs("account_id")).isEqualTo(42);
        assertThat(failure.<String>getAs(LoadResults.STATUS)).isEqualTo("failed");
        assertThat(failure.<String>getAs(LoadResults.ERROR_CLASS)).startsWith("23514");
        assertThat(failure.<String>getAs(LoadResults.ERROR_MESSAGE)).contains("ltv_below_limit");
        assertThat(fixture.query("SELECT lifetime_value FROM checked_accounts WHERE account_id IN (41, 42, 43) "
                + "ORDER BY account_id")).containsExactly(List.of(new BigDecimal("2.00")),
                List.of(new BigDecimal("1.00")), List.of(new BigDecimal("2.00")));

        assertThat(pendingKeys(config)).hasValueSatisfying(keys -> assertThat(keys.collectAsList())
                .extracting(row -> row.get(0)).containsExactly(42));

        // The snapshot kept the old state for 42, so the next run sends it again; by then the model has a
        // newer value, and that one must win over the rejected one.
        List<Row> fixedModel = accounts(1, 100, "2.00");
        fixedModel.set(41, RowFactory.create(42, new BigDecimal("900.00")));
        fixture.writeModel("checked_accounts", ACCOUNTS, fixedModel);

        RunSummary retried = fixture.run(config);

        assertThat(retried.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(retried.sentCounts()).containsEntry("UPDATE", 1L);
        assertThat(fixture.differences("checked_accounts", "checked_accounts")).isZero();
    }

    /** The keys the sync's next diff would resend whatever the snapshot says (see {@link PendingKeys}). */
    private static Optional<Dataset<Row>> pendingKeys(SyncConfig config) {
        StateLayout layout = new StateLayout(config.syncStatePath());
        SnapshotStore snapshot = fixture.snapshot(config);
        return PendingKeys.find(snapshot, new PlanStore(fixture.spark, layout), new FailureStore(fixture.spark, layout),
                config.key(), snapshot.version());
    }

    @Test
    void aRunDyingMidLoadLeavesTheSnapshotAndTheNextRunConverges() {
        SyncConfig config = fixture.config("crashing_accounts", "[account_id]", "mirror", "crashing_accounts",
                "guards: {max_change_fraction: 2.0}");
        fixture.writeModel("crashing_accounts", ACCOUNTS, accounts(1, 400, "1.00"));
        fixture.run(config);
        long snapshotVersion = fixture.snapshot(config).version().orElseThrow();
        List<Row> next = accounts(51, 450, "2.00");
        fixture.writeModel("crashing_accounts", ACCOUNTS, next);

        RunSummary crashed = fixture.run(config,
                new CrashingDestination(Destinations.create(config.destination()), 2), RunOptions.defaults());

        assertThat(crashed.status()).isEqualTo(RunStatus.ERROR);
        assertThat(crashed.exitCode()).isEqualTo(4);
        assertThat(crashed.message()).contains("simulated executor crash");
        assertThat(fixture.snapshot(config).version()).contains(snapshotVersion);
        assertThat(fixture.query("SELECT count(*) FROM crashing_accounts WHERE lifetime_value = 2.00").get(0).get(0))
                .as("part of the changes reached the destination").isNotEqualTo(0L);
        assertThat(fixture.differences("crashing_accounts", "crashing_accounts")).isNotZero();

        // The hard case: the model went back to what the snapshot holds. By hashes nothing changed, yet
        // the destination holds part of the dead run's inserts, updates and deletes.
        fixture.writeModel("crashing_accounts", ACCOUNTS, accounts(1, 400, "1.00"));

        RunSummary recovered = fixture.run(config);

        assertThat(recovered.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(recovered.sentCounts()).containsEntry("INSERT", 0L).containsEntry("DELETE", 50L)
                .containsEntry("UPDATE", 400L);
        assertThat(fixture.differences("crashing_accounts", "crashing_accounts")).isZero();

        RunSummary settled = fixture.run(config);

        assertThat(settled.sentCounts().values()).as("pending keys are settled by the commit")
                .allMatch(count -> count == 0);
    }

    @Test
    void anEmptyModelInMirrorModeIsStoppedByTheDeleteGuard() {
        SyncConfig config = fixture.config("guarded_accounts", "[account_id]", "mirror", "guarded_accounts");
        fixture.writeModel("guarded_accounts", ACCOUNTS, accounts(1, 40, "1.00"));
        fixture.run(config);
        fixture.writeModel("guarded_accounts", ACCOUNTS, List.of());

        RunSummary stopped = fixture.run(config);

        assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED_BY_GUARD);
        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.message()).isEqualTo("Stopped 'guarded_accounts' before sending anything: 40 deletes are "
                + "100.0% of the snapshot's 40 rows, above guards.max_delete_fraction 0.25. Check the model; if the "
                + "change is intended, rerun with --force=\"<reason>\".");
        assertThat(stopped.requests()).isZero();
        assertThat(fixture.count("guarded_accounts")).isEqualTo(40);

        RunSummary forced = fixture.run(config, Destinations.create(config.destination()),
                new RunOptions(Optional.of("account system retired"), false));

        assertThat(forced.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(forced.forceReason()).hasValueSatisfying(reason ->
                assertThat(reason).endsWith("overridden with --force: account system retired"));
        assertThat(fixture.count("guarded_accounts")).isZero();
    }

    @Test
    void theChangeGuardStopsAnUnusuallyLargeUpdate() {
        SyncConfig config = fixture.config("change_guarded", "[account_id]", "upsert", "change_guarded",
                "guards: {max_change_fraction: 0.5}");
        fixture.writeModel("change_guarded", ACCOUNTS, accounts(1, 10, "1.00"));
        fixture.run(config);
        fixture.writeModel("change_guarded", ACCOUNTS, accounts(1, 10, "9.00"));

        RunSummary stopped = fixture.run(config);

        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.message()).contains("10 changes are 100.0% of the snapshot's 10 rows, above "
                + "guards.max_change_fraction 0.5");
    }
}

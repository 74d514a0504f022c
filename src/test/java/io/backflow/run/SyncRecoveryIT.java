package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Operation;
import io.backflow.load.Destinations;
import io.backflow.load.Sleeper;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** A changed model schema, a full resync and a destination that is down: told clearly, then converged. */
class SyncRecoveryIT extends EndToEndTest {

    private static List<Row> rows(int count, IntFunction<Row> row) {
        List<Row> rows = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            rows.add(row.apply(id));
        }
        return rows;
    }

    @Test
    void aNewColumnUpdatesEveryRowARemovedOneIsNoLongerSentAndARetypedOneWithEqualValuesSendsNothing() {
        StructType base = new StructType().add("id", DataTypes.IntegerType, false).add("a", DataTypes.StringType);
        SyncConfig config = fixture.config("evolving", "[id]", "upsert", "evolving");
        fixture.writeModel("evolving", base, rows(20, id -> RowFactory.create(id, "a" + id)));
        fixture.run(config);

        StructType added = base.add("b", DataTypes.IntegerType);
        fixture.writeModel("evolving", added, rows(20, id -> RowFactory.create(id, "a" + id, id * 10)));
        RunSummary missingColumn = fixture.run(config);

        assertThat(missingColumn.exitCode()).isEqualTo(2);
        assertThat(missingColumn.message()).contains("column 'b' (int) is new: every row is sent as an update")
                .contains("it has no column [b]");
        fixture.execute("ALTER TABLE evolving ADD COLUMN b integer");

        RunSummary withColumn = fixture.run(config);

        assertThat(withColumn.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(withColumn.sentCounts()).containsEntry("UPDATE", 20L);
        assertThat(fixture.differences("evolving", "evolving")).isZero();

        StructType retyped = new StructType().add("id", DataTypes.IntegerType, false).add("b", DataTypes.LongType);
        fixture.writeModel("evolving", retyped, rows(20, id -> RowFactory.create(id, (long) id * 10)));
        RunSummary changed = fixture.run(config);

        assertThat(changed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(changed.message()).contains("column 'b' changed type from int to bigint: values are compared by "
                + "value, so only rows whose value changed are sent")
                .contains("column 'a' is no longer in the model: it is not sent any more");
        assertThat(changed.sentCounts()).containsEntry("UPDATE", 0L);
        assertThat(changed.requests()).isZero();
        assertThat(fixture.query("SELECT count(*) FROM evolving WHERE a = 'a' || id AND b = id * 10").get(0).get(0))
                .as("the removed column keeps its last values").isEqualTo(20L);
        assertThat(fixture.snapshot(config).schema().orElseThrow().fieldNames())
                .containsExactlyInAnyOrder("id", "b", "_backflow_hash:b", "_backflow_hash");
        assertThat(fixture.run(config).sentCounts().values()).allMatch(count -> count == 0);
    }

    @Test
    void aChangedKeyIsRefusedWithInstructionsToReset() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
                .add("email", DataTypes.StringType, false).add("v", DataTypes.StringType);
        fixture.writeModel("rekeyed", schema, rows(5, id -> RowFactory.create(id, "e" + id, "v")));
        fixture.run(fixture.config("rekeyed", "[id]", "mirror", "rekeyed"));

        RunSummary refused = fixture.run(fixture.config("rekeyed", "[email]", "mirror", "rekeyed"));

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.message()).startsWith("Cannot sync 'rekeyed': the key changed from [id int] to "
                + "[email string]").contains("run `reset <config> --yes`");
        assertThat(refused.requests()).isZero();
    }

    @Test
    void aFullResyncSendsEveryRowAndRepairsADestinationChangedBehindOurBack() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("v", DataTypes.StringType);
        SyncConfig config = fixture.config("resynced", "[id]", "mirror", "resynced");
        fixture.writeModel("resynced", schema, rows(30, id -> RowFactory.create(id, "v" + id)));
        fixture.run(config);
        fixture.execute("UPDATE resynced SET v = 'tampered' WHERE id <= 5");
        fixture.execute("INSERT INTO resynced VALUES (999, 'stray')");

        assertThat(fixture.run(config).sentCounts().values()).allMatch(count -> count == 0);
        RunSummary resync = fixture.run(config, Destinations.create(config.destination()),
                new RunOptions(Optional.empty(), true));

        assertThat(resync.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resync.sentCounts()).containsEntry("UPDATE", 30L);
        assertThat(resync.message()).contains("Full resync");
        assertThat(fixture.query("SELECT count(*) FROM resynced WHERE v = 'tampered'").get(0).get(0)).isEqualTo(0L);
    }

    @Test
    void aDestinationDownForTheWholeRunStopsBeforeLoadingAndTheNextRunDeliversEverything() throws Exception {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("v", DataTypes.StringType);
        fixture.writeModel("outage", schema, rows(300, id -> RowFactory.create(id, "v" + id)));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String yaml = fixture.yaml("outage", "[id]", "mirror", "outage");
        SyncConfig down = fixture.parse(yaml.replace(":" + fixture.postgres.port() + "/", ":" + closedPort + "/"));

        RunSummary failed = fixture.run(down);

        assertThat(failed.status()).isEqualTo(RunStatus.DESTINATION_UNREACHABLE);
        assertThat(failed.exitCode()).isEqualTo(5);
        assertThat(failed.message()).startsWith("Cannot reach postgres table outage").contains("Nothing was sent");
        assertThat(failed.failed()).isZero();
        assertThat(failed.sent()).isZero();
        assertThat(failed.failureGroups()).isEmpty();
        assertThat(fixture.snapshot(down).version()).isEmpty();

        RunSummary recovered = fixture.run(fixture.parse(yaml));

        assertThat(recovered.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(recovered.delivered()).isEqualTo(300);
        assertThat(fixture.differences("outage", "outage")).isZero();
    }

    @Test
    void aCommitStoppedAfterRemovingItsKeysIsCompletedByTheNextRunBeforeItDiffs() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("v", DataTypes.StringType);
        SyncConfig config = fixture.config("half_committed", "[id]", "mirror", "half_committed");
        fixture.writeModel("half_committed", schema, rows(100, id -> RowFactory.create(id, "v" + id)));
        fixture.run(config);
        // A Delta CHECK constraint that the new rows break makes the commit's append fail after its
        // delete-only MERGE has removed the delivered keys: the state a run killed between the two leaves.
        String snapshotTable = "delta.`" + new StateLayout(config.syncStatePath()).snapshot() + "`";
        fixture.spark.sql("ALTER TABLE " + snapshotTable + " ADD CONSTRAINT no_new_rows CHECK (id <= 100)");
        // Updates 1-10, deletes 91-100, inserts 101-110.
        List<Row> changed = new ArrayList<>();
        for (int id = 1; id <= 110; id++) {
            if (id <= 90 || id > 100) {
                changed.add(RowFactory.create(id, id <= 10 ? "changed" + id : "v" + id));
            }
        }
        fixture.writeModel("half_committed", schema, changed);

        RunSummary stopped = fixture.run(config);

        assertThat(stopped.status()).isEqualTo(RunStatus.ERROR);
        assertThat(stopped.message()).contains("removed the delivered keys but could not add their rows")
                .contains("the next run adds them");
        assertThat(fixture.differences("half_committed", "half_committed")).as("the load itself went through")
                .isZero();
        assertThat(fixture.snapshot(config).incompleteCommit()).contains(new SnapshotStore.Delivery(stopped.runId(),
                stopped.runId(), EnumSet.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE)));
        assertThat(fixture.snapshot(config).rowCount()).as("updated and deleted keys are out, nothing added")
                .isEqualTo(80);
        RunSummary dryRun = new SyncRun(fixture.spark, config, Destinations.create(config.destination()),
                Sleeper.SYSTEM).plan();
        assertThat(dryRun.exitCode()).isEqualTo(3);
        assertThat(dryRun.message()).contains("stopped half way").contains("The next `run` completes it");
        fixture.spark.sql("ALTER TABLE " + snapshotTable + " DROP CONSTRAINT no_new_rows");

        RunSummary next = fixture.run(config);

        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.message()).contains("Completed the snapshot commit of run " + stopped.runId());
        assertThat(next.sentCounts().values()).as("nothing resent: the snapshot already matches the model")
                .allMatch(count -> count == 0);
        assertThat(fixture.snapshot(config).incompleteCommit()).isEmpty();
        assertThat(fixture.snapshot(config).lastCommittedRunId()).contains(stopped.runId());
        assertThat(fixture.snapshot(config).read().where("v LIKE 'changed%' OR id > 100").count()).isEqualTo(20);
        assertThat(fixture.snapshot(config).rowCount()).isEqualTo(100);
    }
}

package io.backflow.state;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.diff.RowHash;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.testing.EndToEndTest;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A state directory written by Backflow 0.1.0 (hash scheme 1: column types in every row's hash, no field
 * hashes; Delta 3.2), kept as a test fixture, then this version on the same model: nothing is resent, the
 * snapshot's hashes are recomputed once from its stored values, and later runs send nothing either.
 */
class LegacySnapshotUpgradeIT extends EndToEndTest {

    @Test
    void upgradingFromTheFirstHashSchemeResendsNothing() throws Exception {
        String sync = LegacySnapshotModel.SYNC;
        File fixtureState = Path.of(getClass().getResource("/legacy-state/" + sync).toURI()).toFile();
        FileUtils.copyDirectory(fixtureState, Path.of(fixture.statePath(), sync).toFile());
        fixture.writeModel(sync, LegacySnapshotModel.SCHEMA, LegacySnapshotModel.rows());
        SyncConfig config = fixture.config(sync, "[id]", "mirror", "public.legacy_customers");
        SnapshotStore snapshot = fixture.snapshot(config);
        assertThat(snapshot.scheme()).isEqualTo(1);
        List<Row> before = snapshot.read().orderBy("id").collectAsList();
        String snapshotPath = new StateLayout(config.syncStatePath()).snapshot();
        String tableId = io.delta.tables.DeltaTable.forPath(fixture.spark, snapshotPath).detail().first().getAs("id");

        RunSummary upgraded = fixture.run(config);

        assertThat(upgraded.status()).as(upgraded.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(upgraded.diffCounts().values()).as(upgraded.message()).allMatch(count -> count == 0);
        assertThat(upgraded.requests()).isZero();
        assertThat(upgraded.message()).contains("Snapshot upgraded to hash scheme " + RowHash.SCHEME)
                .contains(LegacySnapshotModel.ROWS + " rows re-hashed");
        assertThat(snapshot.scheme()).isEqualTo(RowHash.SCHEME);
        assertThat(io.delta.tables.DeltaTable.forPath(fixture.spark, snapshotPath).detail().first().<String>getAs("id"))
                .as("the same table: its readers keep working").isEqualTo(tableId);
        assertThat(snapshot.read().schema().fieldNames()).contains(Columns.fieldHash("ltv"),
                Columns.fieldHash("address"));
        // Keys and values are the ones delivered before the upgrade.
        String[] values = LegacySnapshotModel.SCHEMA.fieldNames();
        assertThat(snapshot.read().selectExpr(quoted(values)).orderBy("id").collectAsList())
                .isEqualTo(before.stream().map(row -> org.apache.spark.sql.RowFactory.create(
                        java.util.Arrays.stream(values).map(name -> row.get(row.fieldIndex(name))).toArray()))
                        .toList());

        RunSummary next = fixture.run(config);

        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.diffCounts().values()).allMatch(count -> count == 0);
        assertThat(String.valueOf(next.message())).doesNotContain("upgraded");
        assertThat(next.snapshotVersionBefore()).isEqualTo(upgraded.snapshotVersionBefore());
    }

    private static String[] quoted(String[] names) {
        return java.util.Arrays.stream(names).map(Columns::quoted).toArray(String[]::new);
    }
}

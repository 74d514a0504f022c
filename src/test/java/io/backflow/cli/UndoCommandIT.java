package io.backflow.cli;

import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.backflow.cli.CommandResult.configFile;
import static io.backflow.cli.CommandResult.main;
import static io.backflow.cli.CommandResult.scores;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code undo}: the destination restored, from Delta time travel of the snapshot, to its state before a run. */
class UndoCommandIT extends EndToEndTest {

    private static final String TABLE_CONTENT = "SELECT id, score FROM undo_scores ORDER BY id";

    @Test
    void undoRestoresTheDestinationExactlyToItsStateBeforeTheRun() {
        String config = configFile(directory, "undo_scores",
                fixture.yaml("undo_scores", "[id]", "mirror", "undo_scores", "guards: {max_delete_fraction: 0.5}"));
        fixture.writeModel("undo_scores", MainIT.SCORES, scores(1, 30, 1));
        assertThat(main("run", config).exitCode()).isZero();
        List<List<Object>> beforeSecondRun = fixture.query(TABLE_CONTENT);
        // The second run deletes 1-5, updates 6-10 and inserts 31-40.
        List<Row> changed = scores(6, 40, 1);
        for (int i = 0; i < 5; i++) {
            changed.set(i, RowFactory.create(6 + i, 2));
        }
        fixture.writeModel("undo_scores", MainIT.SCORES, changed);
        CommandResult second = main("run", config);
        assertThat(second.exitCode()).as(second.output()).isZero();
        List<List<Object>> afterSecondRun = fixture.query(TABLE_CONTENT);

        CommandResult shown = main("undo", config, "--run", second.runId());

        assertThat(shown.exitCode()).as(shown.output()).isZero();
        assertThat(shown.output()).contains("Undo of run " + second.runId() + ": restores snapshot version 1 from "
                + "version 3")
                .contains("Undo plan for 'undo_scores', stored as run")
                .containsPattern("insert +5\n").containsPattern("update +5\n").containsPattern("delete +10\n")
                .contains("To restore, run again with --apply.");
        // "nothing sent" is said once, in the dry run's message.
        assertThat(shown.output().toLowerCase(java.util.Locale.ROOT).split("nothing sent", -1)).hasSize(2);
        assertThat(fixture.query(TABLE_CONTENT)).as("a shown undo sends nothing").isEqualTo(afterSecondRun);

        CommandResult applied = main("undo", config, "--run", second.runId(), "--apply");

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(fixture.query(TABLE_CONTENT)).as("the destination as it was before the second run")
                .isEqualTo(beforeSecondRun);
        assertThat(main("history", config).output()).containsPattern(" undo +succeeded ")
                .containsPattern(" undo-plan +succeeded ");

        CommandResult resynced = main("run", config);

        assertThat(resynced.exitCode()).as(resynced.output()).isZero();
        assertThat(fixture.query(TABLE_CONTENT)).as("the next run syncs the model again").isEqualTo(afterSecondRun);
    }

    @Test
    void undoRefusesRunsThatChangedNothingOrDoNotExist() {
        String config = configFile(directory, "undo_nothing",
                fixture.yaml("undo_nothing", "[id]", "mirror", "undo_nothing"));
        fixture.writeModel("undo_nothing", MainIT.SCORES, scores(1, 3, 1));
        assertThat(main("run", config).exitCode()).isZero();
        CommandResult unchanged = main("run", config);

        CommandResult nothing = main("undo", config, "--run", unchanged.runId());
        CommandResult unknown = main("undo", config, "--run", "20260101T000000Z-abcdef");
        CommandResult noRun = main("undo", config);

        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.output()).contains("Cannot undo run " + unchanged.runId() + " of 'undo_nothing': it "
                + "committed nothing to the snapshot");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("Cannot undo run 20260101T000000Z-abcdef of 'undo_nothing': no such run");
        assertThat(noRun.exitCode()).isEqualTo(2);
        assertThat(noRun.output()).contains("'undo' needs --run ID");
    }

    @Test
    void undoOutsideMirrorModeNeverDeletesRows() {
        fixture.execute("CREATE TABLE undo_upsert (id integer PRIMARY KEY, score integer)");
        fixture.execute("INSERT INTO undo_upsert VALUES (100, 5)");
        String config = configFile(directory, "undo_upsert",
                fixture.yaml("undo_upsert", "[id]", "upsert", "undo_upsert"));
        fixture.writeModel("undo_upsert", MainIT.SCORES, scores(1, 10, 1));
        assertThat(main("run", config).exitCode()).isZero();
        List<Row> changed = scores(1, 10, 1);
        changed.set(0, RowFactory.create(1, 2));
        changed.add(RowFactory.create(100, 7));
        fixture.writeModel("undo_upsert", MainIT.SCORES, changed);
        CommandResult second = main("run", config);
        assertThat(second.exitCode()).as(second.output()).isZero();

        CommandResult undone = main("undo", config, "--run", second.runId(), "--apply");

        assertThat(undone.exitCode()).as(undone.output()).isZero();
        assertThat(undone.output()).contains("Mode 'upsert' does not delete rows, so keys added since are left at "
                + "the destination");
        assertThat(fixture.query("SELECT id, score FROM undo_upsert WHERE id IN (1, 2, 100) ORDER BY id"))
                .as("the update is restored; the row the sync did not create is not deleted")
                .containsExactly(List.of(1, 1), List.of(2, 1), List.of(100, 7));
    }
}

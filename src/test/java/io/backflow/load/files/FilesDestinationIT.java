package io.backflow.load.files;

import io.backflow.BackflowException;
import io.backflow.config.FilesConfig;
import io.backflow.config.SyncConfig;
import io.backflow.config.SyncMode;
import io.backflow.config.UpdateFields;
import io.backflow.load.Change;
import io.backflow.run.RunStatus;
import io.backflow.run.RunSummary;
import io.backflow.testing.ApiEndToEndTest;
import io.backflow.testing.ApiSyncFixture;
import io.backflow.testing.ContactChanges;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static io.backflow.testing.ApiSyncFixture.contacts;
import static io.backflow.testing.ApiSyncFixture.expected;
import static io.backflow.testing.ContactChanges.delete;
import static io.backflow.testing.ContactChanges.insert;
import static io.backflow.testing.ContactChanges.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The {@code files} destination through real runs, read back as a consumer would. */
class FilesDestinationIT extends ApiEndToEndTest {

    static SyncConfig config(String name, String format) {
        return fixture.config(name, "mirror", List.of("writers: 2", "guards: {max_delete_fraction: 1, max_change_fraction: 10}"), List.of("type: files",
                "path: '" + directory.resolve(name + "_changes") + "'", "format: " + format));
    }

    @ParameterizedTest
    @ValueSource(strings = {"parquet", "json"})
    void everyRunsChangesAppliedInRunOrderReproduceTheModel(String format) {
        String name = "files_" + format;
        SyncConfig config = config(name, format);
        ChangeFileReader reader = new ChangeFileReader(fixture.spark, directory.resolve(name + "_changes"));
        List<List<Row>> models = List.of(
                contacts(1, 1_000, 0),
                concat(contacts(1, 600, 5), contacts(801, 1_200, 0)),
                concat(contacts(1, 300, 5), contacts(301, 700, 9), contacts(1_100, 1_300, 1)));

        for (List<Row> model : models) {
            fixture.writeModel(name, model);
            RunSummary run = fixture.run(config);
            assertThat(run.status()).as(run.message()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(reader.replay()).isEqualTo(expected(model));
        }
        assertThat(reader.publishedRuns()).hasSize(3);
        Row change = reader.changes(reader.publishedRuns().get(1)).stream()
                .filter(row -> row.getString(row.fieldIndex("operation")).equals("DELETE")).findFirst().orElseThrow();
        assertThat(change.isNullAt(change.fieldIndex("values"))).isTrue();
        assertThat(change.getString(change.fieldIndex("run_id")))
                .isEqualTo(reader.publishedRuns().get(1).getFileName().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"parquet", "json"})
    void anUpdateRecordNamesItsChangedColumnsAndStillHoldsEveryValue(String format) {
        Path changes = directory.resolve("files_changed_" + format);
        FilesDestination destination = new FilesDestination(new FilesConfig(changes.toString(),
                FilesConfig.Format.valueOf(format.toUpperCase(Locale.ROOT))));
        // Published straight from plan rows that name the changed columns, as the diff writes them.
        List<Row> plan = Stream.of(insert(1, "c1@example.com", 1), update(2, "c2@example.com", 22, List.of("score")),
                update(3, "c3@example.com", 33, null), delete(4)).map(Change::row).toList();

        destination.publish(fixture.spark.createDataFrame(plan, ContactChanges.PLAN),
                ContactChanges.layout(SyncMode.MIRROR, UpdateFields.ALL), "run-with-changed-columns");

        ChangeFileReader reader = new ChangeFileReader(fixture.spark, changes);
        Map<Long, String> changedColumns = new TreeMap<>();
        for (Row change : reader.changes(reader.publishedRuns().get(0))) {
            int index = change.fieldIndex("changed_columns");
            changedColumns.put(change.getStruct(change.fieldIndex("key")).getLong(0),
                    change.isNullAt(index) ? null : change.getList(index).toString());
        }
        assertThat(changedColumns).containsExactly(entry(1L, null), entry(2L, "[score]"), entry(3L, null),
                entry(4L, null));
        assertThat(reader.replay()).containsOnly(entry("1", List.of("c1@example.com", "1")),
                entry("2", List.of("c2@example.com", "22")), entry("3", List.of("c3@example.com", "33")));
    }

    @Test
    void aRunKilledWhileWritingLeavesNoVisibleFolderAndTheNextRunCatchesUp() throws Exception {
        SyncConfig config = config("files_killed", "parquet");
        Path changes = directory.resolve("files_killed_changes");
        ChangeFileReader reader = new ChangeFileReader(fixture.spark, changes);
        fixture.writeModel("files_killed", contacts(1, 500, 0));
        assertThat(fixture.run(config).status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Row> model = concat(contacts(1, 300, 3), contacts(501, 900, 0));
        fixture.writeModel("files_killed", model);

        // Kill the run as its change files are being written: cancel the job once the write stage starts.
        AtomicBoolean killed = new AtomicBoolean();
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener killer = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted stage) {
                stages.add(stage.stageInfo().name());
                if (stage.stageInfo().name().startsWith("save at ChangeFiles") && killed.compareAndSet(false, true)) {
                    fixture.spark.sparkContext().cancelAllJobs();
                }
            }
        };
        fixture.spark.sparkContext().addSparkListener(killer);
        RunSummary dead;
        try {
            dead = fixture.run(config);
        } finally {
            fixture.spark.sparkContext().removeSparkListener(killer);
        }

        assertThat(killed).as(stages.toString()).isTrue();
        assertThat(dead.status()).as(dead.message()).isEqualTo(RunStatus.ERROR);
        assertThat(Files.exists(changes.resolve("_inprogress").resolve(dead.runId()))).as("the dead run began writing")
                .isTrue();
        assertThat(Files.exists(changes.resolve(dead.runId()))).as("no folder of the dead run is visible").isFalse();
        assertThat(reader.publishedRuns()).hasSize(1).noneMatch(run -> run.endsWith(dead.runId()));
        assertThat(reader.replay()).isEqualTo(expected(contacts(1, 500, 0)));

        RunSummary next = fixture.run(config);

        assertThat(next.status()).as(next.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reader.publishedRuns()).hasSize(2);
        assertThat(reader.replay()).isEqualTo(expected(model));
    }

    @Test
    void validateChecksThePathAndPlanWritesNothing() throws Exception {
        SyncConfig config = config("files_checks", "json");
        fixture.writeModel("files_checks", contacts(1, 5, 0));

        assertThat(fixture.validate(config)).last().asString().isEqualTo("destination: change files (json) under "
                + directory.resolve("files_checks_changes") + " is reachable and fits the model");
        assertThat(fixture.plan(config).diffCount("INSERT")).isEqualTo(5);
        assertThat(directory.resolve("files_checks_changes")).doesNotExist();

        Files.writeString(directory.resolve("a_file"), "not a folder");
        SyncConfig blocked = fixture.config("files_checks", "mirror", List.of(), List.of("type: files",
                "path: '" + directory.resolve("a_file").resolve("changes") + "'"));
        assertThatThrownBy(() -> fixture.validate(blocked)).isInstanceOf(BackflowException.class)
                .hasMessage("Cannot write change files under " + directory.resolve("a_file").resolve("changes") + ": "
                        + directory.resolve("a_file") + " is not a directory");
    }

    @SafeVarargs
    private static List<Row> concat(List<Row>... parts) {
        List<Row> all = new ArrayList<>();
        for (List<Row> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}

package io.backflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.backflow.state.RunLock;
import io.backflow.state.StateLayout;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.backflow.cli.CommandResult.configFile;
import static io.backflow.cli.CommandResult.main;
import static io.backflow.cli.CommandResult.scores;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code history}, {@code failures} and {@code reset} commands, and {@code run --full-resync}'s parsing. */
class HistoryCommandsIT extends EndToEndTest {

    /** The table line of a run: its cells split on runs of spaces ("1.2 s" is two cells). */
    private static String[] historyRow(CommandResult history, String runId) {
        return history.lines().stream().filter(line -> line.startsWith(runId)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + runId + " in:\n" + history.output()))
                .split(" +");
    }

    private static int lineIndex(CommandResult result, String prefix) {
        List<String> lines = result.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in:\n" + result.output());
    }

    @Test
    void historyListsRunsNewestFirstAndFailuresShowTheNewestRunWithFailures() throws IOException {
        fixture.execute("CREATE TABLE hist_scores (id int PRIMARY KEY, score int CHECK (score < 100))");
        String config = configFile(directory, "hist_scores", fixture.yaml("hist_scores", "[id]", "mirror", "hist_scores")
                .replace("create_table: true", "create_table: false"));
        fixture.writeModel("hist_scores", MainIT.SCORES, scores(1, 20, 1));
        CommandResult first = main("run", config);
        assertThat(first.exitCode()).as(first.output()).isZero();
        List<Row> oneRejected = scores(1, 20, 2);
        oneRejected.set(4, RowFactory.create(5, 500));
        fixture.writeModel("hist_scores", MainIT.SCORES, oneRejected);
        CommandResult second = main("run", config);
        assertThat(second.exitCode()).as(second.output()).isEqualTo(1);

        CommandResult history = main("history", config);

        assertThat(history.exitCode()).isZero();
        assertThat(history.output()).startsWith("Runs of 'hist_scores', newest first (2 of 2):");
        assertThat(lineIndex(history, second.runId())).as("newest first").isLessThan(lineIndex(history, first.runId()));
        // run id, started, duration (2 cells), command, status, exit, inserts, updates, deletes, delivered,
        // failed, skipped, requests, req/s, snapshot
        String[] newest = historyRow(history, second.runId());
        assertThat(newest[1]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(List.of(newest).subList(4, 13)).containsExactly("run", "finished_with_failures", "1", "0", "20",
                "0", "19", "1", "0");
        assertThat(newest[15]).isEqualTo("1->3");
        String[] oldest = historyRow(history, first.runId());
        assertThat(List.of(oldest).subList(4, 13)).containsExactly("run", "succeeded", "0", "20", "0", "0", "20",
                "0", "0");
        assertThat(oldest[15]).isEqualTo("none->1");

        CommandResult limited = main("history", config, "--limit", "1");
        assertThat(limited.output()).contains("(1 of 2)").contains(second.runId()).doesNotContain(first.runId());

        CommandResult json = main("history", config, "--json");
        assertThat(json.exitCode()).isZero();
        List<JsonNode> runs = json.jsonLines();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("run_id").asText()).isEqualTo(second.runId());
        assertThat(runs.get(0).get("exit_code").asInt()).isEqualTo(1);
        assertThat(runs.get(0).get("sent_counts").get("UPDATE").asLong()).isEqualTo(20);
        assertThat(runs.get(0).get("failures_by_class").get("failed:23514 check_violation").asLong()).isEqualTo(1);
        assertThat(runs.get(0).get("phase_ms").has("load")).isTrue();
        assertThat(runs.get(0).get("started_at").asText()).endsWith("Z");
        assertThat(runs.get(1).get("run_id").asText()).isEqualTo(first.runId());
        assertThat(runs.get(1).get("sent_counts").get("INSERT").asLong()).isEqualTo(20);
        assertThat(runs.get(1).has("force_reason")).as("every column, nulls too").isTrue();
        assertThat(runs.get(1).get("force_reason").isNull()).isTrue();

        // A clean third run redelivers id=5: the newest run with failures is now the second, not the newest.
        fixture.writeModel("hist_scores", MainIT.SCORES, scores(1, 20, 2));
        CommandResult third = main("run", config);
        assertThat(third.exitCode()).as(third.output()).isZero();

        CommandResult failures = main("failures", config);
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.output())
                .contains("Undelivered records of 'hist_scores' in run " + second.runId()
                        + " (the newest run with failures):")
                .containsPattern("failed +23514 check_violation +1")
                .contains("Showing 1 of 1:")
                .containsPattern("id=5 +UPDATE +score +failed +23514 check_violation +.*hist_scores_score_check");

        CommandResult clean = main("failures", config, "--run", third.runId());
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.output()).contains("Run " + third.runId() + " of 'hist_scores' has no undelivered records.");

        CommandResult unknown = main("failures", config, "--run", "20200101T000000Z-000000");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("Unknown run '20200101T000000Z-000000' for sync 'hist_scores'; "
                + "latest runs: " + third.runId() + ", " + second.runId() + ", " + first.runId());

        CommandResult failuresJson = main("failures", config, "--json", "--run", second.runId());
        assertThat(failuresJson.exitCode()).isZero();
        List<JsonNode> records = failuresJson.jsonLines();
        assertThat(records).hasSize(1);
        JsonNode record = records.get(0);
        assertThat(record.get("_backflow_run_id").asText()).isEqualTo(second.runId());
        assertThat(record.get("id").asInt()).isEqualTo(5);
        assertThat(record.get("_backflow_op").asText()).isEqualTo("UPDATE");
        assertThat(record.get("status").asText()).isEqualTo("failed");
        assertThat(record.get("error_class").asText()).isEqualTo("23514 check_violation");
        assertThat(record.get("error_message").asText()).contains("hist_scores_score_check");
        assertThat(record.get("recorded_at").asText()).endsWith("Z");
    }

    @Test
    void resetShowsWithoutYesAndRemovesTheStateWithYesSoTheNextRunSendsEverything() throws IOException {
        String config = configFile(directory, "reset_scores", fixture.yaml("reset_scores", "[id]", "mirror", "reset_scores"));
        fixture.writeModel("reset_scores", MainIT.SCORES, scores(1, 20, 1));
        assertThat(main("run", config).exitCode()).isZero();
        Path state = Path.of(fixture.statePath(), "reset_scores");

        CommandResult dryRun = main("reset", config);

        assertThat(dryRun.exitCode()).isEqualTo(2);
        assertThat(dryRun.output())
                .contains("Reset would remove the whole state of 'reset_scores': " + state)
                .contains("  snapshot: version 1, 20 rows\n"
                        + "  history: 1 recorded run, with their plans, failures and reports")
                .contains("The next run sends every model row again")
                .contains("Mirror mode: keys that leave the model before that run")
                .contains("Nothing was removed; rerun with --yes to remove it.");
        assertThat(state.resolve("snapshot")).isDirectory();

        RunLock lock = new RunLock(fixture.spark, new StateLayout(state.toString()), "reset_scores",
                Clock.systemUTC());
        lock.acquire("20261123T000000Z-10c4ed", Duration.ofHours(1), false);
        assertThat(main("reset", config).output()).contains("  running now: run 20261123T000000Z-10c4ed");
        CommandResult whileRunning = main("reset", config, "--yes");
        assertThat(whileRunning.exitCode()).isEqualTo(3);
        assertThat(whileRunning.output()).contains("Cannot reset 'reset_scores' while run 20261123T000000Z-10c4ed")
                .contains("holds its lock").contains("Nothing was removed");
        assertThat(state.resolve("snapshot")).isDirectory();
        lock.release("20261123T000000Z-10c4ed");

        CommandResult reset = main("reset", config, "--yes");

        assertThat(reset.exitCode()).isZero();
        assertThat(reset.output()).contains("Removed the whole state of 'reset_scores': " + state
                + " (snapshot version 1, 20 rows; 1 recorded run).");
        assertThat(state).doesNotExist();
        assertThat(main("history", config).output())
                .contains("Sync 'reset_scores' has no recorded runs yet");

        CommandResult again = main("run", config);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("inserts=20").contains("delivered=20").contains("snapshot=none->");
        assertThat(fixture.count("reset_scores")).as("upserted, not duplicated").isEqualTo(20);

        CommandResult nothing = main("reset", configFile(directory, "never_run", fixture.yaml("never_run", "[id]", "mirror",
                "never_run")), "--yes");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.output()).contains("Sync 'never_run' has no state at " + fixture.statePath()
                + "/never_run: nothing to reset.");
    }

    @Test
    void resetRefusesADirectoryHoldingFilesBackflowDidNotCreate() throws IOException {
        String config = configFile(directory, "foreign_scores", fixture.yaml("foreign_scores", "[id]", "upsert",
                "foreign_scores"));
        fixture.writeModel("foreign_scores", MainIT.SCORES, scores(1, 3, 1));
        assertThat(main("run", config).exitCode()).isZero();
        Path state = Path.of(fixture.statePath(), "foreign_scores");
        Files.writeString(state.resolve("notes.txt"), "not Backflow's");

        CommandResult reset = main("reset", config, "--yes");

        assertThat(reset.exitCode()).isEqualTo(2);
        assertThat(reset.output()).contains("Cannot reset 'foreign_scores': " + state
                + " holds entries Backflow did not create: [notes.txt]. Nothing was removed");
        assertThat(state.resolve("snapshot")).isDirectory();
    }

    @Test
    void emptyStateMessagesAndOptionsOfOtherCommandsAreRejected() throws IOException {
        String config = configFile(directory, "quiet_scores", fixture.yaml("quiet_scores", "[id]", "upsert", "quiet_scores"));
        fixture.writeModel("quiet_scores", MainIT.SCORES, scores(1, 3, 1));

        CommandResult history = main("history", config);
        assertThat(history.exitCode()).isZero();
        assertThat(history.output()).contains("Sync 'quiet_scores' has no recorded runs yet");
        assertThat(main("history", config, "--json").output()).as("no runs, no JSON lines").isEmpty();
        CommandResult failures = main("failures", config);
        assertThat(failures.exitCode()).isZero();
        assertThat(failures.output())
                .contains("Sync 'quiet_scores' has no undelivered records (no run has loaded yet).");

        CommandResult plan = main("plan", config, "--full-resync");
        assertThat(plan.exitCode()).isEqualTo(2);
        assertThat(plan.output()).startsWith("--full-resync applies to 'run' only").contains("Usage:");
        CommandResult resync = main("run", config, "--full-resync");
        assertThat(resync.exitCode()).as(resync.output()).isZero();
        assertThat(resync.output()).contains("backflow run quiet_scores: succeeded (exit 0)");

        assertThat(main("failures", config).output()).contains("Sync 'quiet_scores' has no undelivered records.");
        assertThat(main("history", config, "--yes").output()).startsWith("--yes applies to 'reset' only");
        assertThat(main("history", config, "--limit", "0").output()).startsWith("--limit must be at least 1, got 0");
        assertThat(main("failures", config, "--run").output()).startsWith("--run needs a value");
        assertThat(main("reset", config, "--json").output()).startsWith("--json applies to 'history', 'failures' only");
        assertThat(main("reset", config, "--yes=please").output())
                .startsWith("--yes takes no value, got '--yes=please'");
    }
}

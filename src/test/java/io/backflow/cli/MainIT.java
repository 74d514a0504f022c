package io.backflow.cli;

import io.backflow.testing.DocumentedOutput;
import io.backflow.testing.EndToEndTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.backflow.cli.CommandResult.configFile;
import static io.backflow.cli.CommandResult.main;
import static io.backflow.cli.CommandResult.scores;
import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user (or a scheduler reading exit codes) sees it. */
class MainIT extends EndToEndTest {

    static final StructType SCORES = new StructType().add("id", DataTypes.IntegerType, false)
            .add("score", DataTypes.IntegerType);

    @Test
    void runPlanAndValidateReportThroughOutputAndExitCodes() {
        fixture.execute("CREATE TABLE cli_scores (id int PRIMARY KEY, score int CHECK (score < 100))");
        String config = configFile(directory, "cli_scores", fixture.yaml("cli_scores", "[id]", "mirror", "cli_scores")
                .replace("create_table: true", "create_table: false"));
        fixture.writeModel("cli_scores", SCORES, scores(1, 20, 1));

        CommandResult validate = main("validate", config);
        assertThat(validate.exitCode()).isZero();
        assertThat(validate.output()).contains("ok  config: sync 'cli_scores', mode mirror, key [id]")
                .contains("ok  destination: postgres table").contains("Config 'cli_scores' is valid.");
        DocumentedOutput.assertDocumented("validate", validate.stdout());

        CommandResult plan = main("plan", config);
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.output()).contains("insert           20").contains("id=1 score=1")
                .contains("backflow plan cli_scores: succeeded (exit 0)");
        assertThat(fixture.count("cli_scores")).as("a plan sends nothing").isZero();
        DocumentedOutput.assertDocumented("plan", plan.stdout());

        CommandResult run = main("run", config);
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("backflow run cli_scores: succeeded (exit 0)").contains("inserts=20");
        assertThat(fixture.count("cli_scores")).isEqualTo(20);
        DocumentedOutput.assertDocumented("run", run.stdout());

        List<Row> oneRejected = scores(1, 20, 2);
        oneRejected.set(4, RowFactory.create(5, 500));
        fixture.writeModel("cli_scores", SCORES, oneRejected);
        CommandResult rejected = main("run", config);
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.output()).contains("finished_with_failures (exit 1)").contains("failed=1");

        fixture.writeModel("cli_scores", SCORES, scores(1, 2, 2));
        CommandResult guarded = main("run", config);
        assertThat(guarded.exitCode()).isEqualTo(3);
        assertThat(guarded.output()).contains("Stopped 'cli_scores' before sending anything: 18 deletes");
        DocumentedOutput.assertDocumented("guard-stop", guarded.stdout());

        CommandResult forced = main("run", config, "--force=model shrank on purpose");
        assertThat(forced.exitCode()).as(forced.output()).isZero();
        assertThat(fixture.count("cli_scores")).isEqualTo(2);
        DocumentedOutput.assertDocumented("guard-forced", forced.stdout());
    }

    @Test
    void badConfigsAndBadArgumentsExitTwoWithEveryProblem() {
        String broken = configFile(directory, "broken", "name: broken\nmode: sometimes\nkey: []\n");

        CommandResult result = main("run", broken);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Invalid sync config '" + broken + "'")
                .contains("mode: 'sometimes' is not a mode").contains("source: missing").contains("key: missing");
        assertThat(main("run", directory.resolve("missing.yaml").toString()).output())
                .contains("cannot read the file");
        assertThat(main("launch", "x.yaml").exitCode()).isEqualTo(2);
        assertThat(main("launch", "x.yaml").output()).contains("unknown command 'launch'").contains("Usage:");
        assertThat(main().exitCode()).isEqualTo(2);
    }

    @Test
    void validateNamesAMissingTableAndHowToFixIt() {
        String config = configFile(directory, "no_table", fixture.yaml("no_table", "[id]", "upsert", "no_such_table")
                .replace("create_table: true", "create_table: false"));
        fixture.writeModel("no_table", SCORES, scores(1, 3, 1));

        CommandResult validate = main("validate", config);

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.output()).contains("FAIL").contains("no_such_table").contains("create_table");
        // Every check's result is printed, not only up to the first FAIL.
        assertThat(validate.output()).contains("ok  config: sync 'no_table'").contains("ok  model: ");
    }

    @Test
    void aDestinationDownForTheWholeRunStopsBeforeLoadingWithItsCause() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String yaml = fixture.yaml("down", "[id]", "mirror", "down_scores");
        String down = configFile(directory, "down", yaml.replace(fixture.postgres.jdbcUrl(),
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres"));
        fixture.writeModel("down", SCORES, scores(1, 30, 1));

        CommandResult run = main("run", down);

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.output()).contains("Cannot reach postgres table down_scores at jdbc:postgresql://127.0.0.1:"
                + closedPort + "/postgres: Cannot connect to PostgreSQL").contains("Nothing was sent")
                .contains("destination_unreachable (exit 5)").contains(" to_send=30 sent=0 delivered=0 failed=0 ");
        assertThat(fixture.snapshot(fixture.parse(yaml)).exists()).isFalse();
        assertThat(new java.io.File(fixture.statePath() + "/down/failures/_delta_log")).doesNotExist();

        CommandResult next = main("run", configFile(directory, "up", yaml));

        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output()).doesNotContain("died").doesNotContain("did not commit");
        assertThat(fixture.count("down_scores")).isEqualTo(30);
    }

    @Test
    void validateWithCreateTablePassesAndShowsTheTableRunWillCreate() {
        String config = configFile(directory, "to_create", fixture.yaml("to_create", "[id]", "mirror", "to_create"));
        fixture.writeModel("to_create", SCORES, scores(1, 3, 1));

        CommandResult validate = main("validate", config);

        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("ok  config: sync 'to_create'").contains("ok  model: ")
                .contains("will fit the model once `run` sets it up")
                .contains("ok  destination: table to_create does not exist; `run` will create it (create_table: "
                        + "true): CREATE TABLE IF NOT EXISTS \"to_create\" (\"id\" integer, \"score\" integer, "
                        + "PRIMARY KEY (\"id\"))")
                .contains("Config 'to_create' is valid.").doesNotContain("FAIL");
        assertThat(fixture.query("SELECT to_regclass('to_create') IS NULL").get(0).get(0)).isEqualTo(true);
    }

    @Test
    void aModelPathThatDoesNotExistIsBadInputNamedInOneLine() {
        String config = configFile(directory, "no_model", fixture.yaml("no_model", "[id]", "upsert", "no_model"));

        CommandResult run = main("run", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("Cannot read the model of 'no_model': source.path '"
                + fixture.modelPath("no_model") + "' (parquet at " + fixture.modelPath("no_model")
                + ") could not be read: ").contains("PATH_NOT_FOUND").contains("Nothing was sent.")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("resends what is missing");
        assertThat(run.output()).contains("backflow run no_model: invalid_input (exit 2)");
        assertThat(fixture.query("SELECT to_regclass('no_model') IS NULL").get(0).get(0)).isEqualTo(true);

        CommandResult validate = main("validate", config);

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.output()).contains("ok  config: sync 'no_model'")
                .contains("FAIL model: Cannot read the model of 'no_model': source.path")
                .contains("FAIL destination: not checked").doesNotContain("Exception");
    }
}

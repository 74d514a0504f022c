package io.backflow.cli;

import io.backflow.BackflowException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    private static CommandLine parse(String... args) {
        return CommandLine.parse(args);
    }

    private static void assertRejected(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOf(BackflowException.class)
                .hasMessageStartingWith(message).hasMessageContaining("Usage:")
                .satisfies(e -> assertThat(io.backflow.run.RunStatus.of(((BackflowException) e).category()).exitCode()).isEqualTo(2));
    }

    @Test
    void runTakesForceAndFullResync() {
        CommandLine plain = parse("run", "sync.yaml");
        assertThat(plain.configPath()).contains("sync.yaml");
        assertThat(plain.forceReason()).isEmpty();
        assertThat(plain.fullResync()).isFalse();

        CommandLine forced = parse("run", "--force=model shrank", "sync.yaml", "--full-resync");
        assertThat(forced.forceReason()).contains("model shrank");
        assertThat(forced.fullResync()).isTrue();
        assertThat(parse("run", "sync.yaml", "--force").forceReason()).contains("no reason given");
    }

    @Test
    void historyAndFailuresHaveTheirOwnDefaultLimits() {
        CommandLine history = parse("history", "sync.yaml");
        assertThat(history.format()).isEqualTo(OutputFormat.TABLE);
        assertThat(history.limit()).isEqualTo(CommandLine.DEFAULT_HISTORY_LIMIT);
        assertThat(parse("failures", "sync.yaml").limit()).isEqualTo(CommandLine.DEFAULT_FAILURES_LIMIT);

        CommandLine failures = parse("failures", "sync.yaml", "--json", "--limit", "5",
                "--run=20261123T173050Z-567fae");
        assertThat(failures.format()).isEqualTo(OutputFormat.JSON_LINES);
        assertThat(failures.limit()).isEqualTo(5);
        assertThat(failures.runId()).isEqualTo(Optional.of("20261123T173050Z-567fae"));
        assertThat(parse("history", "sync.yaml", "--limit=1_000").limit()).isEqualTo(1000);
    }

    @Test
    void resetNeedsYesToConfirm() {
        assertThat(parse("reset", "sync.yaml").confirmed()).isFalse();
        assertThat(parse("reset", "sync.yaml", "--yes").confirmed()).isTrue();
    }

    @Test
    void demoTakesRowsAndNoConfig() {
        assertThat(parse("demo").demoRows()).isEqualTo(CommandLine.DEFAULT_DEMO_ROWS);
        assertThat(parse("demo", "--rows", "5_000").demoRows()).isEqualTo(5000);
        assertRejected("'demo' takes no config file", "demo", "sync.yaml");
        assertRejected("--rows must be at least 10, got 5", "demo", "--rows", "5");
    }

    @Test
    void undoNeedsARunAndSendsOnlyWithApply() {
        CommandLine shown = parse("undo", "sync.yaml", "--run", "20261123T173050Z-567fae");
        CommandLine applied = parse("undo", "sync.yaml", "--run=20261123T173050Z-567fae", "--apply", "--force=bad model");

        assertThat(shown.runId()).contains("20261123T173050Z-567fae");
        assertThat(shown.apply()).isFalse();
        assertThat(applied.apply()).isTrue();
        assertThat(applied.forceReason()).contains("bad model");
        assertRejected("'undo' needs --run ID: the run to undo (see 'history')", "undo", "sync.yaml", "--apply");
    }

    @Test
    void rejectsOptionsOfOtherCommandsInsteadOfIgnoringThem() {
        assertRejected("--full-resync applies to 'run' only", "plan", "sync.yaml", "--full-resync");
        assertRejected("--force applies to 'run', 'undo' only", "validate", "sync.yaml", "--force");
        assertRejected("--json applies to 'history', 'failures' only", "reset", "sync.yaml", "--json");
        assertRejected("--run applies to 'failures', 'undo' only", "history", "sync.yaml", "--run", "x");
        assertRejected("--apply applies to 'undo' only", "run", "sync.yaml", "--apply");
        assertRejected("--yes applies to 'reset' only", "run", "sync.yaml", "--yes");
        assertRejected("--rows applies to 'demo' only", "run", "sync.yaml", "--rows", "10");
    }

    @Test
    void rejectsBadValuesAndArguments() {
        assertRejected("no command given");
        assertRejected("unknown command 'launch'", "launch", "x.yaml");
        assertRejected("unknown option '--verbose'", "run", "x.yaml", "--verbose");
        assertRejected("'history' takes one config file, got []", "history");
        assertRejected("'run' takes one config file, got [a.yaml, b.yaml]", "run", "a.yaml", "b.yaml");
        assertRejected("--limit must be at least 1, got 0", "history", "x.yaml", "--limit", "0");
        assertRejected("--limit must be a whole number, got 'many'", "history", "x.yaml", "--limit=many");
        assertRejected("--limit needs a value", "failures", "x.yaml", "--limit");
        assertRejected("--run needs a run id", "failures", "x.yaml", "--run=");
        assertRejected("--yes takes no value, got '--yes=please'", "reset", "x.yaml", "--yes=please");
    }

    @Test
    void usageNamesEveryCommandAndOption() {
        assertThat(CommandLine.USAGE).contains("run <config.yaml> [--force[=REASON]] [--full-resync]",
                "plan <config.yaml>", "validate <config.yaml>", "history <config.yaml> [--json] [--limit N]",
                "failures <config.yaml> [--run ID] [--json] [--limit N]", "reset <config.yaml> [--yes]",
                "demo [--rows N]");
    }
}

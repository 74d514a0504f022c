package io.backflow.cli;

import io.backflow.BackflowException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Help for the tool and for each command: on stdout, exit 0, never mistaken for an unknown command. */
class HelpTest {

    private record Printed(int exitCode, String output, String errors) {
    }

    private static Printed main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Printed(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpHelpAndDashHPrintTheWholeUsageAndExitZero() {
        for (String flag : new String[] {"--help", "help", "-h"}) {
            Printed help = main(flag);
            assertThat(help.exitCode()).as(flag).isZero();
            assertThat(help.errors()).as(flag).isEmpty();
            assertThat(help.output()).as(flag).startsWith("Usage: backflow <command> [arguments]")
                    .contains("  run <config.yaml>", "  history <config.yaml>", "Exit codes:")
                    .doesNotContain("unknown");
        }
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        Printed run = main("run", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("  run <config.yaml> [--force[=REASON]] [--full-resync]", "--full-resync sends")
                .contains("Exit codes:").doesNotContain("  plan <config.yaml>");
        assertThat(main("help", "failures").output()).contains("  failures <config.yaml> [--run ID]")
                .doesNotContain("  run <config.yaml>");
        assertThat(main("plan", "conf/x.yaml", "-h").output()).contains("  plan <config.yaml>  ");
    }

    @Test
    void errorsGoToStderrSoJsonOnStdoutStaysParseable() {
        Printed refused = main("history", "sync.yaml", "--json", "--limit", "0");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.output()).isEmpty();
        assertThat(refused.errors()).startsWith("--limit must be at least 1, got 0").contains("Usage:");
    }

    @Test
    void benchHasItsHelpToo() {
        Printed bench = main("bench", "--help");
        assertThat(bench.exitCode()).isZero();
        assertThat(bench.output()).startsWith("Usage: bench --rows N").contains("--change-fraction F");
        assertThat(bench.errors()).isEmpty();
    }

    @Test
    void helpForAnUnknownCommandIsAUsageError() {
        Printed unknown = main("help", "deploy");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).as("errors go to stderr").isEmpty();
        assertThat(unknown.errors()).startsWith("unknown command 'deploy'");
        assertThatThrownBy(() -> CommandLine.help("deploy")).isInstanceOf(BackflowException.class)
                .hasMessageStartingWith("unknown command 'deploy'");
    }
}

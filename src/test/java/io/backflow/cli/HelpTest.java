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

    private record Printed(int exitCode, String output) {
    }

    private static Printed main(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exitCode = new Main(new PrintStream(bytes, true, StandardCharsets.UTF_8)).execute(args);
        return new Printed(exitCode, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpHelpAndDashHPrintTheWholeUsageAndExitZero() {
        for (String flag : new String[] {"--help", "help", "-h"}) {
            Printed help = main(flag);
            assertThat(help.exitCode()).as(flag).isZero();
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
    void helpForAnUnknownCommandIsAUsageError() {
        Printed unknown = main("help", "deploy");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).startsWith("unknown command 'deploy'");
        assertThatThrownBy(() -> CommandLine.help("deploy")).isInstanceOf(BackflowException.class)
                .hasMessageStartingWith("unknown command 'deploy'");
    }
}

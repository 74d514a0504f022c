package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.testing.EndToEndTest;
import io.backflow.testing.WriteAudit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.backflow.run.SyncFailuresIT.ACCOUNTS;
import static io.backflow.run.SyncFailuresIT.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job process killed with SIGKILL in the middle of loading (no shutdown hook, no cleanup: as when a
 * cluster node is lost or the scheduler kills the job), then run again: the destination ends equal to the
 * model, and at most one batch per writer reaches it twice.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KilledRunResumeIT extends EndToEndTest {

    private static final int ROWS = 2000;
    private static final int WRITERS = 2;
    private static final int BATCH_SIZE = 50;
    private static final Duration CHILD_DEADLINE = Duration.ofMinutes(4);

    @Test
    void aKilledJobIsResumedWithAtMostOneBatchPerWriterSentTwice() throws Exception {
        WriteAudit audit = WriteAudit.create(fixture, "killed_accounts", "account_id", "lifetime_value");
        fixture.writeModel("killed_accounts", ACCOUNTS, accounts(1, ROWS, "1.00"));
        // 40 batches at 5 requests a second: the load takes about 8 s, time to kill it in the middle.
        String yaml = fixture.yaml("killed_accounts", "[account_id]", "mirror", "killed_accounts",
                "rate_limit: {requests_per_second: 5}");
        Path configFile = Files.writeString(directory.resolve("killed_accounts.yaml"), yaml);
        Path childLog = directory.resolve("killed-child.log");

        Process child = startJob(configFile, childLog);
        try {
            waitForWrites(audit, child, childLog, 6L * BATCH_SIZE);
        } finally {
            child.destroyForcibly();
            child.waitFor(1, TimeUnit.MINUTES);
        }
        long deliveredBeforeKill = audit.writes();
        assertThat(deliveredBeforeKill).as("killed mid-load").isBetween(1L, ROWS - 1L);

        // The killed run still holds the lock; --force takes it over, as the lock error message advises.
        SyncConfig config = fixture.parse(yaml);
        RunSummary resumed = fixture.run(config, io.backflow.load.Destinations.create(config.destination()),
                new RunOptions(Optional.of("the previous run was killed"), false));

        assertThat(resumed.status()).as(resumed.message()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.message()).contains("Resuming run").contains("were not sent again");
        assertThat(fixture.differences("killed_accounts", "killed_accounts")).isZero();
        long sentTwice = audit.repeatedWrites();
        assertThat(sentTwice).as("records sent twice: at most one batch per writer")
                .isLessThanOrEqualTo((long) WRITERS * BATCH_SIZE);
        assertThat(audit.writes()).isEqualTo(ROWS + sentTwice);
        System.out.printf("KilledRunResumeIT: %d of %d records delivered before the kill, %d sent twice%n",
                deliveredBeforeKill, ROWS, sentTwice);
    }

    /** {@code backflow run <config>} in a child JVM with this test's classpath, Spark in local mode. */
    private static Process startJob(Path configFile, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        // The pom's java17.opens, passed by Failsafe: Spark on Java 17 needs them.
        command.addAll(List.of(System.getProperty("backflow.javaOpens", "").trim().split("\\s+")));
        command.add("-Dspark.master=local[2]");
        command.add("-Dspark.sql.shuffle.partitions=2");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.backflow.cli.Main");
        command.add("run");
        command.add(configFile.toString());
        command.removeIf(String::isEmpty);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void waitForWrites(WriteAudit audit, Process child, Path log, long writes) throws Exception {
        Instant deadline = Instant.now().plus(CHILD_DEADLINE);
        while (audit.writes() < writes) {
            if (!child.isAlive()) {
                throw new AssertionError("the job ended (exit " + child.exitValue() + ") before it was killed:\n"
                        + tail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the job wrote " + audit.writes() + " rows in " + CHILD_DEADLINE + ":\n"
                        + tail(log));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}

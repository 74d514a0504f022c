package io.backflow.cli;

import io.backflow.config.SyncConfig;
import io.backflow.config.SyncMode;
import io.backflow.run.RunStatus;
import io.backflow.run.SyncReset;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code reset}: shows what discarding the sync's state would remove, or, confirmed with {@code --yes},
 * removes it. The destination is never touched.
 */
final class ResetCommand {

    private final SyncConfig config;
    private final SyncReset reset;
    private final PrintStream out;

    ResetCommand(SparkSession spark, SyncConfig config, PrintStream out) {
        this.config = config;
        this.reset = new SyncReset(spark, config, Clock.systemUTC());
        this.out = out;
    }

    /** Without {@code --yes}: describes the state and exits 2 (not done), or 0 if there is none. */
    int describe() {
        Optional<SyncReset.State> state = reset.inspect();
        if (state.isEmpty()) {
            printNoState();
            return 0;
        }
        out.println("Reset would remove the whole state of '" + config.name() + "': " + state.get().path());
        out.println("  snapshot: " + describeSnapshot(state.get()));
        out.println("  history: " + runs(state.get()) + ", with their plans, failures and reports");
        state.get().runningNow().ifPresent(holder -> out.println("  running now: run " + holder.runId()
                + " (started " + holder.startedAt().truncatedTo(ChronoUnit.SECONDS) + " on " + holder.host()
                + ") holds the lock until " + holder.expiresAt().truncatedTo(ChronoUnit.SECONDS)
                + "; a reset now would be refused"));
        printConsequences();
        out.println("To resend every model row and keep the history (and mirror mode's deletes), use "
                + "'run --full-resync' instead.");
        out.println("Nothing was removed; rerun with --yes to remove it.");
        // Not done is not success: a script that forgot --yes must not carry on as if state were gone.
        return RunStatus.INVALID_INPUT.exitCode();
    }

    /** With {@code --yes}: removes the state; exits 0. */
    int remove() {
        Optional<SyncReset.State> state = reset.inspect();
        if (state.isEmpty()) {
            printNoState();
            return 0;
        }
        reset.delete();
        out.println("Removed the whole state of '" + config.name() + "': " + state.get().path() + " ("
                + "snapshot " + describeSnapshot(state.get()) + "; " + runs(state.get()) + ").");
        printConsequences();
        return 0;
    }

    private void printNoState() {
        out.println("Sync '" + config.name() + "' has no state at " + config.syncStatePath()
                + ": nothing to reset.");
    }

    private static String describeSnapshot(SyncReset.State state) {
        return state.snapshotVersion().map(version -> "version " + version + ", " + state.snapshotRows() + " rows")
                .orElse("none (no run has committed one)");
    }

    private static String runs(SyncReset.State state) {
        return state.runs() + (state.runs() == 1 ? " recorded run" : " recorded runs");
    }

    private void printConsequences() {
        out.println("The destination is not touched. The next run sends every model row again, as the first "
                + "run did (the guards do not apply to it).");
        if (config.mode() == SyncMode.MIRROR) {
            out.println("Mirror mode: keys that leave the model before that run (or whose delete failed) will "
                    + "not be deleted from the destination, because the reset forgets which keys were sent.");
        }
    }
}

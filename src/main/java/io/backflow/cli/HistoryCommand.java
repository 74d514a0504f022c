package io.backflow.cli;

import io.backflow.config.SyncConfig;
import io.backflow.run.RunHistory;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code history}: the sync's recorded runs, newest first, as a table or as JSON Lines. */
final class HistoryCommand {

    private final SyncConfig config;
    private final RunHistory history;
    private final PrintStream out;

    HistoryCommand(SparkSession spark, SyncConfig config, PrintStream out) {
        this.config = config;
        this.history = new RunHistory(spark, new StateLayout(config.syncStatePath()));
        this.out = out;
    }

    /** Prints up to {@code limit} runs; returns the exit code (0, also when there are none). */
    int print(OutputFormat format, int limit) {
        if (!history.exists()) {
            // JSON Lines output stays parseable: no runs is no lines.
            if (format == OutputFormat.TABLE) {
                out.println("Sync '" + config.name() + "' has no recorded runs yet (no runs table at "
                        + new StateLayout(config.syncStatePath()).runs() + ").");
            }
            return 0;
        }
        List<Row> runs = history.latest(limit);
        if (format == OutputFormat.JSON_LINES) {
            runs.forEach(run -> out.println(JsonRows.line(run)));
            return 0;
        }
        out.println("Runs of '" + config.name() + "', newest first (" + runs.size() + " of " + history.count()
                + "):");
        TextTable table = table();
        runs.forEach(run -> addRow(table, run));
        table.lines().forEach(out::println);
        return 0;
    }

    private static TextTable table() {
        TextTable.Align left = TextTable.Align.LEFT;
        TextTable.Align right = TextTable.Align.RIGHT;
        return new TextTable().column("run id", left).column("started (UTC)", left).column("duration", right)
                .column("command", left).column("status", left).column("exit", right)
                .column("inserts", right).column("updates", right).column("deletes", right)
                .column("delivered", right).column("failed", right).column("skipped", right)
                .column("requests", right).column("req/s", right).column("snapshot", left).column("forced", left);
    }

    private static void addRow(TextTable table, Row run) {
        Map<String, Long> sent = run.getJavaMap(run.fieldIndex("sent_counts"));
        table.row(run.getAs("run_id"), JsonRows.secondsUtc(run.<Timestamp>getAs("started_at")),
                String.format(Locale.ROOT, "%.1f s", run.<Long>getAs("duration_ms") / 1000.0),
                run.getAs("command"), run.getAs("status"), run.getAs("exit_code"),
                sent.getOrDefault("INSERT", 0L), sent.getOrDefault("UPDATE", 0L), sent.getOrDefault("DELETE", 0L),
                run.getAs("delivered"), run.getAs("failed"), run.getAs("skipped"), run.getAs("requests"),
                String.format(Locale.ROOT, "%.1f", run.<Double>getAs("achieved_requests_per_second")),
                version(run, "snapshot_version_before", "none") + "->"
                        + version(run, "snapshot_version_after", "unchanged"),
                run.getAs("force_reason"));
    }

    /** A snapshot version, or what its absence means, worded as in the run's summary line. */
    private static String version(Row run, String column, String absent) {
        Object version = run.getAs(column);
        return version == null ? absent : version.toString();
    }
}

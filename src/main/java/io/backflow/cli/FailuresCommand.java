package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.load.LoadResults;
import io.backflow.run.FailureReport;
import io.backflow.run.RunHistory;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code failures}: the records a run could not deliver (by default the newest run with any), as a
 * summary per status and error class plus the records, or as JSON Lines.
 */
final class FailuresCommand {

    /** How many recent run ids an "unknown run" message offers. */
    private static final int SUGGESTED_RUNS = 5;

    private final SyncConfig config;
    private final FailureReport failures;
    private final RunHistory history;
    private final PrintStream out;

    FailuresCommand(SparkSession spark, SyncConfig config, PrintStream out) {
        StateLayout layout = new StateLayout(config.syncStatePath());
        this.config = config;
        this.failures = new FailureReport(spark, layout, config.key());
        this.history = new RunHistory(spark, layout);
        this.out = out;
    }

    /**
     * Prints up to {@code limit} undelivered records of the run; returns the exit code: 0, also when
     * there are none.
     *
     * @throws BackflowException {@code INVALID_CONFIG} (exit 2) for a run id the sync never recorded
     */
    int print(Optional<String> requestedRun, OutputFormat format, int limit) {
        requestedRun.ifPresent(this::checkKnown);
        Optional<String> runId = !failures.exists() ? Optional.empty()
                : requestedRun.isPresent() ? requestedRun : failures.newestRunWithFailures();
        if (runId.isEmpty() || !failures.hasFailures(runId.get())) {
            // JSON Lines output stays parseable: no records is no lines.
            if (format == OutputFormat.TABLE) {
                out.println(requestedRun.map(id -> "Run " + id + " of '" + config.name()
                        + "' has no undelivered records.").orElse("Sync '" + config.name()
                        + "' has no undelivered records" + (failures.exists() ? "." : " (no run has loaded yet).")));
            }
            return 0;
        }
        List<Row> records = failures.records(runId.get(), limit);
        if (format == OutputFormat.JSON_LINES) {
            records.forEach(record -> out.println(JsonRows.line(record)));
            return 0;
        }
        long total = failures.count(runId.get());
        out.println("Undelivered records of '" + config.name() + "' in run " + runId.get()
                + (requestedRun.isPresent() ? "" : " (the newest run with failures)") + ":");
        TextTable summary = new TextTable().column("status", TextTable.Align.LEFT)
                .column("error class", TextTable.Align.LEFT).column("records", TextTable.Align.RIGHT);
        failures.countsByClass(runId.get()).forEach(count ->
                summary.row(count.status(), count.errorClass(), count.count()));
        summary.lines().forEach(line -> out.println("  " + line));
        out.println("Showing " + records.size() + " of " + total + ":");
        printRecords(records);
        return 0;
    }

    private void checkKnown(String runId) {
        if (history.contains(runId) || failures.exists() && failures.hasFailures(runId)) {
            return;
        }
        List<String> latest = history.latestRunIds(SUGGESTED_RUNS);
        throw new BackflowException(BackflowException.Category.INVALID_CONFIG, "Unknown run '" + runId
                + "' for sync '" + config.name() + "'; " + (latest.isEmpty() ? "the sync has no recorded runs."
                : "latest runs: " + String.join(", ", latest) + " (see 'history' for more)."));
    }

    private void printRecords(List<Row> records) {
        List<String> key = failures.keyColumns();
        TextTable table = new TextTable().column("key", TextTable.Align.LEFT)
                .column("operation", TextTable.Align.LEFT).column("changed", TextTable.Align.LEFT)
                .column("status", TextTable.Align.LEFT)
                .column("error class", TextTable.Align.LEFT).column("message", TextTable.Align.LEFT);
        for (Row record : records) {
            String keyText = key.stream().map(name -> name + "=" + text(record.getAs(name)))
                    .collect(Collectors.joining(", "));
            int changed = record.fieldIndex(LoadResults.CHANGED_COLUMNS);
            String changedText = record.isNullAt(changed) ? "" : String.join(",", record.<String>getList(changed));
            table.row(keyText, record.getAs(Columns.OPERATION), changedText, record.getAs(LoadResults.STATUS),
                    record.getAs(LoadResults.ERROR_CLASS), record.getAs(LoadResults.ERROR_MESSAGE));
        }
        table.lines().forEach(out::println);
    }

    private static String text(Object value) {
        // Timestamps print in UTC, as everywhere in the CLI, not in the JVM's zone.
        return value instanceof Timestamp timestamp ? JsonRows.secondsUtc(timestamp) : String.valueOf(value);
    }
}

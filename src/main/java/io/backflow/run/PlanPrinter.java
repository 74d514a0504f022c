package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.state.PlanStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.List;

/** Prints a stored plan (of {@code plan} or {@code undo}): counts per operation and a few sample changes of each. */
public final class PlanPrinter {

    private static final int SAMPLES = 5;

    private final SparkSession spark;
    private final SyncConfig config;
    private final PrintStream out;

    public PlanPrinter(SparkSession spark, SyncConfig config, PrintStream out) {
        this.spark = spark;
        this.config = config;
        this.out = out;
    }

    public void print(RunSummary summary) {
        // A plan stopped by a guard is shown too: it is what the user must judge before forcing it.
        boolean planned = summary.status() == RunStatus.SUCCEEDED
                || summary.status() == RunStatus.STOPPED_BY_GUARD && !summary.diffCounts().isEmpty();
        if (!planned) {
            return;
        }
        String heading = summary.command().startsWith("undo") ? "Undo plan for '" + config.name() + "'"
                : "Plan for '" + config.name() + "' (mode " + config.mode().configName() + ")";
        out.println(heading + ", stored as run " + summary.runId() + ":");
        PlanStore plans = new PlanStore(spark, new StateLayout(config.syncStatePath()));
        for (Operation operation : Operation.values()) {
            boolean sent = summary.sentCounts().containsKey(operation.name());
            long count = summary.diffCount(operation.name());
            out.printf(java.util.Locale.ROOT, "  %-6s %,12d%s%n", operation.name().toLowerCase(java.util.Locale.ROOT),
                    count, sent ? "" : "  (not sent in mode " + config.mode().configName() + ")");
            if (count == 0 || !sent) {
                continue;
            }
            List<Row> samples = plans.sample(summary.runId(), operation.name(), SAMPLES);
            List<String> names = List.of(samples.get(0).schema().fieldNames());
            for (Row row : samples) {
                StringBuilder line = new StringBuilder("      ");
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (name.startsWith(Columns.RESERVED_PREFIX)) {
                        continue;
                    }
                    line.append(name).append('=').append(row.get(i)).append(' ');
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}

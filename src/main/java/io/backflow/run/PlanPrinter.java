package io.backflow.run;

import io.backflow.config.SyncConfig;
import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.state.PlanStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.backflow.state.SnapshotStore;
import org.apache.spark.sql.Column;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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

    /**
     * One sample change: its key and values; for an update that names its changed columns, the key and each
     * changed column as {@code column: old → new}, the old value being the snapshot's (what was delivered).
     */
    private String describe(Row row, Row stored) {
        List<String> names = List.of(row.schema().fieldNames());
        StringBuilder line = new StringBuilder();
        Optional<List<String>> changed = names.contains(Columns.CHANGED) && !row.isNullAt(row.fieldIndex(Columns.CHANGED))
                ? Optional.of(row.getList(row.fieldIndex(Columns.CHANGED))) : Optional.empty();
        boolean isDelete = Operation.DELETE.name().equals(row.getString(row.fieldIndex(Columns.OPERATION)));
        for (String name : names) {
            boolean isKey = config.key().contains(name);
            // A delete has no values, only its key.
            if (name.startsWith(Columns.RESERVED_PREFIX) || isDelete && !isKey) {
                continue;
            }
            if (changed.isPresent() && !isKey) {
                if (changed.get().contains(name)) {
                    Object old = stored == null || !List.of(stored.schema().fieldNames()).contains(name) ? "?"
                            : stored.get(stored.fieldIndex(name));
                    line.append(name).append(": ").append(display(old)).append(" \u2192 ")
                            .append(display(row.get(row.fieldIndex(name)))).append("  ");
                }
                continue;
            }
            line.append(name).append('=').append(display(row.get(row.fieldIndex(name)))).append(' ');
        }
        if (names.contains(Columns.CHANGED) && changed.isEmpty() && Operation.UPDATE.name().equals(
                row.getString(row.fieldIndex(Columns.OPERATION)))) {
            line.append("(every column: the destination's state of this key is uncertain)");
        }
        return line.toString().stripTrailing();
    }

    /**
     * A value on one line: control characters escaped ({@code \n}, {@code \t}), timestamps in UTC with
     * {@code Z}, whatever the JVM's zone.
     */
    static String display(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toString();
        }
        String text = String.valueOf(value);
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    /** The snapshot's rows for the sample updates' keys (a handful), by key. */
    private Map<List<Object>, Row> storedValues(List<Row> samples) {
        SnapshotStore snapshot = new SnapshotStore(spark, new StateLayout(config.syncStatePath()));
        if (samples.isEmpty() || !snapshot.exists()) {
            return Map.of();
        }
        Column match = lit(false);
        for (Row sample : samples) {
            Column same = lit(true);
            for (String name : config.key()) {
                same = same.and(col(Columns.quoted(name)).equalTo(lit(sample.get(sample.fieldIndex(name)))));
            }
            match = match.or(same);
        }
        Map<List<Object>, Row> byKey = new HashMap<>();
        snapshot.read().where(match).collectAsList().forEach(row -> byKey.put(keyOf(row), row));
        return byKey;
    }

    private List<Object> keyOf(Row row) {
        List<Object> key = new ArrayList<>();
        config.key().forEach(name -> key.add(row.get(row.fieldIndex(name))));
        return key;
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
            Map<List<Object>, Row> before = operation == Operation.UPDATE ? storedValues(samples) : Map.of();
            for (Row row : samples) {
                out.println("      " + describe(row, before.get(keyOf(row))));
            }
        }
    }
}

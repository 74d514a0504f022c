package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.diff.Columns;
import io.backflow.load.ChangeLayout;
import io.backflow.state.PlanStore;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/** Builds the message for a model with null or duplicate keys, with counts and sample keys. */
final class KeyProblems {

    private static final int SAMPLES = 5;

    private KeyProblems() {
    }

    /** Throws {@code INVALID_INPUT} if the plan holds invalid-key rows. */
    static void check(String syncName, Map<String, Long> planCounts, PlanStore plans, String runId,
            ChangeLayout layout) {
        long nullKeyRows = planCounts.getOrDefault(Columns.NULL_KEY, 0L);
        long duplicateRows = planCounts.getOrDefault(Columns.DUPLICATE_KEY, 0L);
        if (nullKeyRows == 0 && duplicateRows == 0) {
            return;
        }
        StringBuilder message = new StringBuilder("Cannot sync '").append(syncName).append("': ");
        if (nullKeyRows > 0) {
            String samples = plans.sample(runId, Columns.NULL_KEY, SAMPLES).stream()
                    .map(layout::describeKey).collect(Collectors.joining("; "));
            message.append(nullKeyRows).append(nullKeyRows == 1 ? " row has" : " rows have")
                    .append(" a null key (key = ").append(layout.key()).append("); first: ").append(samples);
        }
        if (duplicateRows > 0) {
            if (nullKeyRows > 0) {
                message.append(". Also: ");
            }
            Column[] keys = layout.key().stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);
            Dataset<Row> duplicates = plans.read(runId).where(col(Columns.OPERATION).equalTo(Columns.DUPLICATE_KEY))
                    .groupBy(keys).count();
            long keyCount = duplicates.count();
            List<Row> samples = duplicates.orderBy(col("count").desc()).limit(SAMPLES).collectAsList();
            message.append(keyCount).append(keyCount == 1 ? " key appears" : " keys appear")
                    .append(" more than once (").append(duplicateRows).append(" rows, key = ").append(layout.key())
                    .append("); first: ")
                    .append(samples.stream().map(row -> describe(row, layout.key()) + " (" + row.getLong(
                            layout.key().size()) + " rows)").collect(Collectors.joining("; ")));
        }
        message.append(". Nothing was sent and the snapshot is unchanged; fix the model's key.");
        throw new BackflowException(BackflowException.Category.INVALID_INPUT, message.toString());
    }

    private static String describe(Row row, List<String> key) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < key.size(); i++) {
            text.append(i > 0 ? ", " : "").append(key.get(i)).append('=').append(row.get(i));
        }
        return text.toString();
    }
}

package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

/**
 * Names, for each update of a stored plan, the synced columns whose value changed ({@link Columns#CHANGED}), by
 * comparing the update's field hashes with the snapshot's for that key.
 *
 * <p>A second, narrow step after the diff rather than a part of its join: the join would otherwise carry every
 * snapshot row's field hashes (8 bytes per synced column per row) through its shuffle, to compare them for the
 * few keys whose row hash differs. Here the plan's updates, a few percent of the rows, are broadcast into a scan of
 * the snapshot's key and field-hash columns, and the hashes found are broadcast back to the plan: nothing is
 * shuffled.
 */
public final class ChangedColumns {

    /**
     * The most updates whose keys are broadcast: every executor holds them (8 bytes and some overhead per long
     * key). Beyond this the snapshot's key and field hashes are shuffled against them instead.
     */
    public static final long BROADCAST_KEYS = 5_000_000L;
    private static final String PREVIOUS_PREFIX = "_backflow_previous_hash:";

    private ChangedColumns() {
    }

    /**
     * The plan with {@link Columns#CHANGED} in place of {@link Columns#SENDS_ALL}: for an update that does not
     * send every column, the names of its changed columns in model order; null for every other change.
     *
     * @param plan a stored plan as {@link Differ#changes} wrote it (with {@link Columns#SENDS_ALL})
     * @param snapshotFieldHashes the snapshot's key columns and the field hash of each synced column
     * @param key the key columns
     * @param columns the synced columns, in model order
     * @param updates how many updates must be named, to choose how the snapshot is joined
     */
    public static Dataset<Row> named(Dataset<Row> plan, Dataset<Row> snapshotFieldHashes, List<String> key,
            List<String> columns, long updates) {
        Column toName = col(Columns.OPERATION).equalTo(lit(Operation.UPDATE.name())).and(not(col(Columns.SENDS_ALL)));
        Column[] keyColumns = key.stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);
        Dataset<Row> updateKeys = plan.where(toName).select(keyColumns);
        List<Column> previousColumns = new ArrayList<>(List.of(keyColumns));
        columns.forEach(name -> previousColumns.add(col(Columns.quoted(Columns.fieldHash(name)))
                .as(PREVIOUS_PREFIX + name)));
        Dataset<Row> previous = snapshotFieldHashes.select(previousColumns.toArray(Column[]::new))
                .join(updates <= BROADCAST_KEYS ? functions.broadcast(updateKeys) : updateKeys,
                        JavaConverters.asScalaBuffer(key).toSeq(), "left_semi");

        Column[] names = columns.stream()
                .map(name -> when(col(Columns.quoted(Columns.fieldHash(name)))
                        .eqNullSafe(col(Columns.quoted(PREVIOUS_PREFIX + name))), lit(null))
                        .otherwise(lit(name)))
                .toArray(Column[]::new);
        List<Column> output = new ArrayList<>();
        for (String name : plan.schema().fieldNames()) {
            if (!name.equals(Columns.SENDS_ALL)) {
                output.add(col(Columns.quoted(name)));
            }
        }
        output.add(when(toName, functions.array_compact(functions.array(names))).as(Columns.CHANGED));
        // The updates' previous hashes are as few as the updates: broadcast them too, so the plan is not shuffled.
        return plan.join(updates <= BROADCAST_KEYS ? functions.broadcast(previous) : previous,
                        JavaConverters.asScalaBuffer(key).toSeq(), "left_outer")
                .select(output.toArray(Column[]::new));
    }
}

package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Computes what changed between the model and the snapshot with one full outer join on the key:
 * model-only keys are inserts, snapshot-only keys are deletes, keys whose hash differs are updates.
 *
 * <p>Key validity is checked in the same pass: a window counts the model rows per key, partitioned by
 * the key exactly as the join needs, so Spark reuses that shuffle for the join instead of scanning the
 * model twice (the model may be an expensive warehouse query). Rows with a null key or a duplicated key
 * come out marked {@link Columns#NULL_KEY} / {@link Columns#DUPLICATE_KEY} instead of as a change.
 *
 * <p>The join carries the snapshot's key and row hash only. Which columns an update changed is found after the
 * plan is stored, for its updates alone ({@link ChangedColumns}); here an update only says whether it must send
 * every column ({@link Columns#SENDS_ALL}).
 */
public final class Differ {

    private static final String PENDING = "_backflow_pending";

    private Differ() {
    }

    /** Whether the diff prepares each update's changed columns to be named. */
    public enum FieldDetection {
        /** Marks the updates that must send every column ({@link Columns#SENDS_ALL}); what every run does. */
        CHANGED_COLUMNS,
        /** Only finds which keys changed: the benchmark's measure of what naming the columns costs. */
        ROWS_ONLY
    }

    /**
     * The changes, one row per key (or per invalid model row): {@link Columns#OPERATION}, the key
     * columns, the synced columns, their field hashes and {@link Columns#HASH} (all null for deletes), and
     * {@link Columns#SENDS_ALL}.
     *
     * @param model the keyed, hashed model
     * @param snapshot the snapshot's key columns and {@link Columns#HASH}; nothing else is read
     * @param fullResync whether keys in both model and snapshot are updates even when unchanged
     */
    public static Dataset<Row> changes(KeyedModel model, Dataset<Row> snapshot, boolean fullResync) {
        return changes(model, snapshot, fullResync, Optional.empty(), FieldDetection.CHANGED_COLUMNS);
    }

    /**
     * As {@link #changes(KeyedModel, Dataset, boolean)}, forcing a change for every pending key: a key an
     * interrupted run may have sent, or whose delivery failed. Whatever the destination holds for it, the
     * model's current state is sent: an upsert if the key is in the model, a delete if not (even when the
     * snapshot never had it, since an interrupted run may have inserted it).
     *
     * @param pending the pending keys (key columns only, distinct), if any
     */
    public static Dataset<Row> changes(KeyedModel model, Dataset<Row> snapshot, boolean fullResync,
            Optional<Dataset<Row>> pending, FieldDetection detection) {
        boolean namesColumns = detection == FieldDetection.CHANGED_COLUMNS;
        List<String> key = model.key();
        Column[] keyColumns = key.stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);

        Dataset<Row> counted = model.rows()
                .withColumn(Columns.KEY_ROWS, functions.count(lit(1)).over(Window.partitionBy(keyColumns)));
        List<Column> previousColumns = new ArrayList<>(List.of(keyColumns));
        previousColumns.add(col(Columns.HASH).as(Columns.PREVIOUS_HASH));
        Dataset<Row> previous = snapshot.select(previousColumns.toArray(Column[]::new));
        Column isPending = lit(false);
        if (pending.isPresent()) {
            // Joined to the snapshot's narrow side (key, hash), not to the join's output: that output holds the
            // model's values, and a full outer join's output must be shuffled again to be joined once more.
            // A pending key missing from the snapshot still comes out, with no previous hash.
            previous = previous.join(pending.get().withColumn(PENDING, lit(true)),
                    JavaConverters.asScalaBuffer(key).toSeq(), "full_outer");
            isPending = functions.coalesce(col(PENDING), lit(false));
        }

        Dataset<Row> joined = counted.join(previous,
                JavaConverters.asScalaBuffer(key).toSeq(), "full_outer");

        Column hash = col(Columns.HASH);
        Column previousHash = col(Columns.PREVIOUS_HASH);
        Column anyKeyNull = lit(false);
        for (Column keyColumn : keyColumns) {
            anyKeyNull = anyKeyNull.or(keyColumn.isNull());
        }
        Column operation = when(anyKeyNull, lit(Columns.NULL_KEY))
                .when(col(Columns.KEY_ROWS).gt(1), lit(Columns.DUPLICATE_KEY))
                .when(hash.isNull(), lit(Operation.DELETE.name()))
                .when(previousHash.isNull(), lit(Operation.INSERT.name()))
                .when(isPending.or(lit(fullResync)).or(hash.notEqual(previousHash)), lit(Operation.UPDATE.name()));

        List<Column> output = new ArrayList<>();
        output.add(operation.as(Columns.OPERATION));
        output.addAll(List.of(keyColumns));
        model.columns().forEach(name -> output.add(col(Columns.quoted(name))));
        // Recomputed from the values here, for the changes kept only: cheaper than carrying them through the join.
        model.columns().forEach(name -> output.add(model.fieldHash(name).as(Columns.fieldHash(name))));
        output.add(hash);
        if (namesColumns) {
            // A pending key or a full resync sends every column, since the destination may hold an older value of
            // a column that did not change.
            output.add(isPending.or(lit(fullResync)).as(Columns.SENDS_ALL));
        }
        return joined.select(output.toArray(Column[]::new)).where(col(Columns.OPERATION).isNotNull());
    }
}

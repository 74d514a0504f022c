package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.bit_xor;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * An order-independent summary of a keyed model's content: its row count and the XOR of a hash of each
 * row's key and row hash. Two models with the same fingerprint hold, with near certainty, the same keys
 * with the same values (the row hash covers the synced columns and their types). It tells a run whether
 * the model changed since an interrupted run planned its changes, without diffing again.
 *
 * @param rows the model's row count
 * @param hash the XOR over rows of {@code xxhash64(key columns, row hash)}
 */
public record ModelFingerprint(long rows, long hash) {

    private static final String ROWS = "rows";
    private static final String HASH = "hash";

    /** The model's rows, computing the fingerprint into {@code observation} as they are read by an action. */
    public static KeyedModel observe(KeyedModel model, Observation observation) {
        return new KeyedModel(model.rows().observe(observation, rowCount(), hashAggregate(model)), model.key(),
                model.columns());
    }

    /** The fingerprint an action on {@link #observe}'s rows computed; waits for that action. */
    public static ModelFingerprint of(Observation observation) {
        Map<String, Object> values;
        try {
            values = observation.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the model's fingerprint", e);
        }
        return new ModelFingerprint((Long) values.get(ROWS), (Long) values.get(HASH));
    }

    /** Reads the model once (no shuffle) to compute its fingerprint. */
    public static ModelFingerprint compute(KeyedModel model) {
        Row row = model.rows().agg(rowCount(), hashAggregate(model)).first();
        return new ModelFingerprint(row.getLong(0), row.getLong(1));
    }

    /** The text form stored with a plan, e.g. {@code 1000000:-8123456789}. */
    public String encode() {
        return rows + ":" + hash;
    }

    /** Parses {@link #encode}'s form. */
    public static ModelFingerprint decode(String text) {
        int colon = text.indexOf(':');
        return new ModelFingerprint(Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }

    private static Column rowCount() {
        return count(lit(1)).as(ROWS);
    }

    private static Column hashAggregate(KeyedModel model) {
        List<Column> hashed = new ArrayList<>();
        model.key().forEach(name -> hashed.add(col(Columns.quoted(name))));
        hashed.add(col(Columns.HASH));
        return coalesce(bit_xor(xxhash64(hashed.toArray(Column[]::new))), lit(0L)).as(HASH);
    }
}

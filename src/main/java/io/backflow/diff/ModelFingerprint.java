package io.backflow.diff;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * The fingerprint an action on {@link #observe}'s rows computed, or empty if it did not arrive within
     * {@code timeout}. Spark 3.5 reports no metrics at all when the optimizer prunes the observed node
     * (e.g. an empty model next to an empty side of the join), and {@link Observation#get} would then wait
     * forever; so this waits on another thread, for a bounded time.
     */
    public static Optional<ModelFingerprint> of(Observation observation, Duration timeout) {
        FutureTask<Map<String, Object>> metrics = new FutureTask<>(observation::getAsJava);
        Thread waiter = new Thread(metrics, "backflow-model-fingerprint");
        waiter.setDaemon(true);
        waiter.start();
        try {
            Map<String, Object> values = metrics.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(new ModelFingerprint((Long) values.get(ROWS), (Long) values.get(HASH)));
        } catch (TimeoutException e) {
            metrics.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            metrics.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not read the model's fingerprint", e.getCause());
        }
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

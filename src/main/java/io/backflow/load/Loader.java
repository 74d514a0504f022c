package io.backflow.load;

import io.backflow.config.RateLimit;
import io.backflow.config.RetryPolicy;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Builds the load: changes repartitioned by key hash into one partition per writer (so all changes of
 * a key land in one partition and per-key order holds), each partition sending through its own writer
 * at its share of the global rate. The result is lazy; running it sends the changes.
 */
public final class Loader {

    private final Destination destination;
    private final WriterRates rates;
    private final RetryPolicy retry;
    private final Sleeper sleeper;

    public Loader(Destination destination, int writers, Optional<RateLimit> rateLimit, RetryPolicy retry,
            Sleeper sleeper) {
        this.destination = destination;
        this.rates = WriterRates.of(writers, rateLimit);
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** How many writers actually run (fewer than configured when the rate limit is below it). */
    public int writers() {
        return rates.writers();
    }

    /**
     * The records that were not delivered, in {@link LoadResults#schema} — computed, and the changes
     * sent, when the returned dataset is written.
     *
     * @param changes plan rows to send, laid out as {@code layout.planSchema()}
     * @param progress the plan's delivery log: batches it holds are skipped, delivered ones are added
     */
    public Dataset<Row> load(Dataset<Row> changes, ChangeLayout layout, String runId, LoadProgress progress,
            LoadMetrics metrics) {
        Column[] keyColumns = layout.key().stream().map(name -> col(io.backflow.diff.Columns.quoted(name)))
                .toArray(Column[]::new);
        PartitionLoad partitionLoad = new PartitionLoad(destination, layout, runId, progress, rates, retry, metrics,
                sleeper);
        // The sort fixes each partition's order (a shuffle's is not), so a batch number names the same changes
        // in every attempt and a resumed load can skip what an interrupted one delivered.
        return changes.repartition(rates.writers(), keyColumns)
                .sortWithinPartitions(keyColumns)
                .mapPartitions(partitionLoad, Encoders.row(LoadResults.schema(layout)));
    }
}

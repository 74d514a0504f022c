package io.backflow.load;

import io.backflow.config.RateLimit;
import io.backflow.config.RetryPolicy;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.util.Optional;

/**
 * Builds the load: changes cut into one key range per writer (see {@link KeyRanges}; all changes of a key
 * land in one partition, so per-key order holds), each partition sending through its own writer at its
 * share of the global rate. The result is lazy; running it sends the changes.
 */
public final class Loader {

    /**
     * Names how changes are cut into writers' partitions and batches; part of the load settings a resumed
     * load must match, so a plan is never resumed with batches cut another way.
     */
    public static final String CUT = "key-ranges-v1";

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
     * sent, when the returned dataset is written. The sample that fixes the writers' key ranges is read
     * here, at once.
     *
     * @param changes plan rows to send, laid out as {@code layout.planSchema()}
     * @param progress the plan's delivery log: batches it holds are skipped, delivered ones are added
     */
    public Dataset<Row> load(Dataset<Row> changes, ChangeLayout layout, String runId, LoadProgress progress,
            LoadMetrics metrics) {
        PartitionLoad partitionLoad = new PartitionLoad(destination, layout, runId, progress, rates, retry, metrics,
                sleeper);
        // Sorted partitions (a shuffle's order is not fixed) cut by ranges that depend on the changes only: a
        // batch number names the same changes in every attempt, so a resumed load can skip what an interrupted
        // one delivered.
        return KeyRanges.partition(changes, layout.key(), rates.writers())
                .mapPartitions(partitionLoad, Encoders.row(LoadResults.schema(layout)));
    }
}

package io.backflow.load;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.time.Duration;

/**
 * Counters of the load phase, summed across writers through Spark accumulators. Counts from a task
 * that Spark re-ran are included, so they describe the work done (requests really sent), not the result;
 * per-record results come from the failures table instead.
 */
public final class LoadMetrics implements Serializable {

    private final LongAccumulator requests;
    private final LongAccumulator retries;
    private final LongAccumulator splits;
    private final LongAccumulator rateLimitWaitMillis;
    private final LongAccumulator alreadyDelivered;

    public LoadMetrics(SparkContext context) {
        this.requests = context.longAccumulator("backflow.requests");
        this.retries = context.longAccumulator("backflow.retries");
        this.splits = context.longAccumulator("backflow.splits");
        this.rateLimitWaitMillis = context.longAccumulator("backflow.rateLimitWaitMillis");
        this.alreadyDelivered = context.longAccumulator("backflow.alreadyDelivered");
    }

    /** Unregistered counters, for use outside a Spark job (tests of the delivery logic). */
    LoadMetrics() {
        this.requests = new LongAccumulator();
        this.retries = new LongAccumulator();
        this.splits = new LongAccumulator();
        this.rateLimitWaitMillis = new LongAccumulator();
        this.alreadyDelivered = new LongAccumulator();
    }

    void addRequest() {
        requests.add(1);
    }

    void addRetry() {
        retries.add(1);
    }

    void addSplit() {
        splits.add(1);
    }

    void addRateLimitWait(Duration wait) {
        rateLimitWaitMillis.add(wait.toMillis());
    }

    void addAlreadyDelivered(long changes) {
        alreadyDelivered.add(changes);
    }

    public long requests() {
        return requests.value();
    }

    public long retries() {
        return retries.value();
    }

    public long splits() {
        return splits.value();
    }

    public long rateLimitWaitMillis() {
        return rateLimitWaitMillis.value();
    }

    /** Changes not sent because an earlier, interrupted load of the same plan delivered them. */
    public long alreadyDelivered() {
        return alreadyDelivered.value();
    }
}

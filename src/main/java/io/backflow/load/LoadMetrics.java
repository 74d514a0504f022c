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

    public LoadMetrics(SparkContext context) {
        this.requests = context.longAccumulator("backflow.requests");
        this.retries = context.longAccumulator("backflow.retries");
        this.splits = context.longAccumulator("backflow.splits");
        this.rateLimitWaitMillis = context.longAccumulator("backflow.rateLimitWaitMillis");
    }

    /** Unregistered counters, for use outside a Spark job (tests of the delivery logic). */
    LoadMetrics() {
        this.requests = new LongAccumulator();
        this.retries = new LongAccumulator();
        this.splits = new LongAccumulator();
        this.rateLimitWaitMillis = new LongAccumulator();
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
}

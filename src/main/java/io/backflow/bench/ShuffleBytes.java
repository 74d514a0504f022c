package io.backflow.bench;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shuffle bytes every task of this Spark context has written, so the benchmark can say how much more a
 * variant moves through the shuffle. Task metrics reach listeners asynchronously; {@link #written} first
 * waits until every event posted so far has been delivered.
 */
final class ShuffleBytes extends SparkListener {

    private static final long DELIVERY_TIMEOUT_MILLIS = 30_000;

    private final SparkSession spark;
    private final AtomicLong written = new AtomicLong();

    private ShuffleBytes(SparkSession spark) {
        this.spark = spark;
    }

    static ShuffleBytes register(SparkSession spark) {
        ShuffleBytes listener = new ShuffleBytes(spark);
        spark.sparkContext().addSparkListener(listener);
        return listener;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskMetrics() != null) {
            written.addAndGet(taskEnd.taskMetrics().shuffleWriteMetrics().bytesWritten());
        }
    }

    /** The shuffle bytes written by every task that ended before this call. */
    long written() {
        try {
            // Scala's private[spark] (public in bytecode): the one way to know every task-end event of the
            // actions that returned has been delivered; Spark's own tests use it for that.
            spark.sparkContext().listenerBus().waitUntilEmpty(DELIVERY_TIMEOUT_MILLIS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not deliver its events within "
                    + DELIVERY_TIMEOUT_MILLIS + " ms, so the shuffle bytes cannot be counted", e);
        }
        return written.get();
    }
}

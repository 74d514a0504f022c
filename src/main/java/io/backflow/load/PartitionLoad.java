package io.backflow.load;

import io.backflow.config.RetryPolicy;
import io.backflow.diff.Operation;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Random;

/**
 * The load of one partition, run by Spark on an executor: opens one writer, cuts the partition's
 * changes into batches, delivers each through {@link BatchDelivery} and emits a row for every record
 * not delivered. Batches are read lazily, so a partition's changes are never all in memory.
 *
 * <p>Each delivered batch is recorded in the {@link LoadProgress}; batches an earlier attempt of the same
 * plan recorded are not sent again, only their recorded outcomes are emitted. The partition's rows come
 * sorted by key, so batch numbers name the same changes in every attempt.
 */
final class PartitionLoad implements MapPartitionsFunction<Row, Row> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLoad.class);
    private static final long PROGRESS_INTERVAL_MILLIS = 10_000;

    private final Destination destination;
    private final ChangeLayout layout;
    private final String runId;
    private final int batchSize;
    private final LoadProgress progress;
    private final WriterRates rates;
    private final RetryPolicy retry;
    private final LoadMetrics metrics;
    private final Sleeper sleeper;

    PartitionLoad(Destination destination, ChangeLayout layout, String runId, LoadProgress progress,
            WriterRates rates, RetryPolicy retry, LoadMetrics metrics, Sleeper sleeper) {
        this.destination = destination;
        this.layout = layout;
        this.runId = runId;
        this.batchSize = destination.batchSize();
        this.progress = progress;
        this.rates = rates;
        this.retry = retry;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> changes) {
        int partition = TaskContext.getPartitionId();
        PartitionWriter writer = destination.openWriter(layout);
        TaskContext.get().addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> writer.close());
        StrictRateLimiter limiter = rates.rateOf(partition)
                .map(rate -> new StrictRateLimiter(rate, Ticker.SYSTEM, sleeper)).orElse(null);
        BatchDelivery delivery = new BatchDelivery(writer, limiter, retry, sleeper, new Random(partition), metrics);
        Map<Integer, List<RecordOutcome>> delivered = progress.deliveredBatches(partition);
        if (!delivered.isEmpty()) {
            LOG.info("Writer {} resumes: {} batches were delivered by an earlier attempt and are not sent again",
                    partition, delivered.size());
        }
        return new OutcomeIterator(changes, delivery, partition, delivered);
    }

    /** Pulls one batch at a time from the input and yields its undelivered records. */
    private final class OutcomeIterator implements Iterator<Row> {

        private final Iterator<Row> input;
        private final BatchDelivery delivery;
        private final int partition;
        private final Map<Integer, List<RecordOutcome>> delivered;
        private final Queue<Row> pending = new ArrayDeque<>();
        private final long startMillis = System.currentTimeMillis();
        private long lastProgressMillis = startMillis;
        private long sent;
        private long notDelivered;
        private long alreadyDelivered;
        private int batchNumber;
        private boolean finished;

        OutcomeIterator(Iterator<Row> input, BatchDelivery delivery, int partition,
                Map<Integer, List<RecordOutcome>> delivered) {
            this.input = input;
            this.delivery = delivery;
            this.partition = partition;
            this.delivered = delivered;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && input.hasNext()) {
                deliverNextBatch();
            }
            if (pending.isEmpty() && !finished) {
                finished = true;
                LOG.info("Writer {} finished: {} changes sent, {} not delivered, {} delivered earlier, in {} ms",
                        partition, sent, notDelivered, alreadyDelivered, System.currentTimeMillis() - startMillis);
            }
            return !pending.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.remove();
        }

        private void deliverNextBatch() {
            List<Change> batch = new ArrayList<>(batchSize);
            int operationIndex = layout.operationIndex();
            while (batch.size() < batchSize && input.hasNext()) {
                Row row = input.next();
                batch.add(new Change(Operation.valueOf(row.getString(operationIndex)), row));
            }
            int number = batchNumber++;
            List<RecordOutcome> outcomes = delivered.get(number);
            if (outcomes != null) {
                alreadyDelivered += batch.size() - outcomes.size();
                metrics.addAlreadyDelivered(batch.size() - outcomes.size());
            } else {
                outcomes = delivery.deliver(batch);
                // A batch the destination could not be reached for is tried again by a resumed load; one with
                // rejected records is done, and its rejections are reported again from the log.
                if (!delivery.lastBatchUnreachable()) {
                    progress.recordDelivered(partition, number, outcomes);
                }
                sent += batch.size();
            }
            java.time.Instant now = Clock.systemUTC().instant();
            for (RecordOutcome outcome : outcomes) {
                pending.add(LoadResults.row(layout, runId, batch.get(outcome.index()), outcome, now));
            }
            notDelivered += outcomes.size();
            long nowMillis = System.currentTimeMillis();
            if (nowMillis - lastProgressMillis >= PROGRESS_INTERVAL_MILLIS) {
                lastProgressMillis = nowMillis;
                LOG.info("Writer {}: {} changes sent so far, {} not delivered, {} s", partition, sent, notDelivered,
                        (nowMillis - startMillis) / 1000);
            }
        }
    }
}

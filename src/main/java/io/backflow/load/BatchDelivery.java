package io.backflow.load;

import io.backflow.config.RetryPolicy;
import io.backflow.diff.Operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Delivers one batch through a {@link PartitionWriter} so that every record ends delivered or with an
 * outcome: each request waits for the rate limiter (also a batch's further requests, through
 * {@link RequestPermits}); transient failures are retried with exponential
 * backoff and jitter; a batch rejected because of some record is split in halves until the bad record
 * is isolated, so one bad record never fails its neighbours.
 *
 * <p>Not thread-safe: one per partition writer.
 */
public final class BatchDelivery {

    private final PartitionWriter writer;
    private final StrictRateLimiter limiter;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Random jitter;
    private final LoadMetrics metrics;
    private int consecutiveBatchesGivenUp;
    private DestinationException lastGiveUp;
    private boolean lastBatchUnreachable;

    /** After this many batches in a row exhaust their retries, the partition's other batches fail at once. */
    static final int GIVE_UP_AFTER_BATCHES = 3;

    /**
     * @param limiter null for no rate limit
     * @param jitter the randomness for backoff jitter (seeded in tests)
     */
    public BatchDelivery(PartitionWriter writer, StrictRateLimiter limiter, RetryPolicy retry, Sleeper sleeper,
            Random jitter, LoadMetrics metrics) {
        this.writer = writer;
        this.limiter = limiter;
        this.retry = retry;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.metrics = metrics;
    }

    /**
     * Whether some records of the last {@link #deliver}ed batch failed because the destination could not be
     * reached (retries exhausted, or not sent at all after earlier batches gave up), rather than being
     * rejected: such a batch must be tried again, not remembered as done.
     */
    public boolean lastBatchUnreachable() {
        return lastBatchUnreachable;
    }

    /** Sends the batch; returns the records not delivered, indexed by their position in {@code batch}. */
    public List<RecordOutcome> deliver(List<Change> batch) {
        List<RecordOutcome> outcomes = new ArrayList<>();
        lastBatchUnreachable = false;
        if (consecutiveBatchesGivenUp >= GIVE_UP_AFTER_BATCHES) {
            lastBatchUnreachable = true;
            // The destination has been unreachable for several batches, each retried to the limit: fail
            // the rest at once rather than spend the whole backoff on every remaining batch.
            for (int i = 0; i < batch.size(); i++) {
                outcomes.add(RecordOutcome.failed(i, lastGiveUp.errorClass(), "not sent: " + GIVE_UP_AFTER_BATCHES
                        + " batches in a row failed after all retries; last error: " + lastGiveUp.getMessage()));
            }
            return outcomes;
        }
        if (!writer.oneOperationPerRequest()) {
            deliver(batch, 0, outcomes);
            return outcomes;
        }
        Map<Operation, List<Integer>> positions = new EnumMap<>(Operation.class);
        for (int i = 0; i < batch.size(); i++) {
            positions.computeIfAbsent(batch.get(i).operation(), operation -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : positions.values()) {
            List<RecordOutcome> groupOutcomes = new ArrayList<>();
            deliver(group.stream().map(batch::get).toList(), 0, groupOutcomes);
            groupOutcomes.forEach(outcome -> outcomes.add(outcome.atIndex(group.get(outcome.index()))));
        }
        return outcomes;
    }

    private void deliver(List<Change> batch, int offset, List<RecordOutcome> outcomes) {
        for (int attempt = 1; ; attempt++) {
            try {
                writer.prepare();
                if (limiter != null) {
                    metrics.addRateLimitWait(limiter.acquire());
                }
                metrics.addRequest();
                for (RecordOutcome outcome : writer.send(batch, this::anotherRequest)) {
                    outcomes.add(outcome.atIndex(offset + outcome.index()));
                }
                consecutiveBatchesGivenUp = 0;
                return;
            } catch (DestinationException e) {
                if (!e.isTransient()) {
                    splitOrFail(batch, offset, outcomes, e);
                    return;
                }
                if (attempt >= retry.maxAttempts()) {
                    consecutiveBatchesGivenUp++;
                    lastGiveUp = e;
                    lastBatchUnreachable = true;
                    for (int i = 0; i < batch.size(); i++) {
                        outcomes.add(RecordOutcome.failed(offset + i, e.errorClass(),
                                e.getMessage() + " (gave up after " + attempt + " attempts)"));
                    }
                    return;
                }
                metrics.addRetry();
                Duration backoff = backoff(attempt);
                // Retrying sooner than the destination asked only earns another refusal.
                sleeper.sleep(e.retryAfter().filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff));
            }
        }
    }

    /** The permit for a batch's second (third …) request: it waits for the limiter as the first did. */
    private void anotherRequest() {
        if (limiter != null) {
            metrics.addRateLimitWait(limiter.acquire());
        }
        metrics.addRequest();
    }

    private void splitOrFail(List<Change> batch, int offset, List<RecordOutcome> outcomes, DestinationException e) {
        if (batch.size() == 1) {
            outcomes.add(RecordOutcome.failed(offset, e.errorClass(), e.getMessage()));
            return;
        }
        metrics.addSplit();
        int half = batch.size() / 2;
        deliver(batch.subList(0, half), offset, outcomes);
        deliver(batch.subList(half, batch.size()), offset + half, outcomes);
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
    private Duration backoff(int attempt) {
        long millis = retry.backoffAfter(attempt).toMillis();
        long half = millis / 2;
        return Duration.ofMillis(half + (half > 0 ? (long) (jitter.nextDouble() * half) : 0));
    }
}

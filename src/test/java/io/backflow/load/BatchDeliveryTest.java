package io.backflow.load;

import io.backflow.BackflowException.Category;
import io.backflow.config.RetryPolicy;
import io.backflow.diff.Operation;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BatchDeliveryTest {

    /**
     * A destination that applies a batch all or nothing, like a database transaction: it rejects a
     * whole batch holding a "bad" id, and fails the first {@code transientFailures} requests as if the
     * connection dropped.
     */
    private static final class FakeWriter implements PartitionWriter {
        final Set<Integer> bad;
        int transientFailures;
        final Set<Integer> applied = new HashSet<>();
        final List<Set<Operation>> operationsPerRequest = new ArrayList<>();
        int requests;
        Duration retryAfter;
        boolean oneOperationPerRequest;

        FakeWriter(Set<Integer> bad, int transientFailures) {
            this.bad = bad;
            this.transientFailures = transientFailures;
        }

        @Override
        public List<RecordOutcome> send(List<Change> batch) {
            requests++;
            operationsPerRequest.add(batch.stream().map(Change::operation).collect(Collectors.toSet()));
            if (transientFailures > 0) {
                transientFailures--;
                if (retryAfter != null) {
                    throw DestinationException.retryAfter("HTTP 429", "too many requests", retryAfter);
                }
                throw new DestinationException(Category.TRANSIENT_DESTINATION, "08006", "connection reset", null);
            }
            for (Change change : batch) {
                if (bad.contains(change.row().getInt(1))) {
                    throw new DestinationException(Category.PERMANENT_RECORD, "23514 check_violation",
                            "new row violates check constraint \"ltv_positive\"", null);
                }
            }
            batch.forEach(change -> applied.add(change.row().getInt(1)));
            return List.of();
        }

        @Override
        public boolean oneOperationPerRequest() {
            return oneOperationPerRequest;
        }

        @Override
        public void close() {
        }
    }

    private final List<Duration> sleeps = new ArrayList<>();
    private final LoadMetrics metrics = new LoadMetrics();

    private BatchDelivery delivery(FakeWriter writer, int maxAttempts) {
        return new BatchDelivery(writer, null, new RetryPolicy(maxAttempts, Duration.ofMillis(100),
                Duration.ofSeconds(1)), sleeps::add, new Random(7), metrics);
    }

    private static List<Change> batch(int size) {
        return IntStream.range(0, size)
                .mapToObj(id -> new Change(Operation.INSERT, RowFactory.create("INSERT", id)))
                .toList();
    }

    @Test
    void isolatesOneBadRecordAndDeliversTheRestOfItsBatch() {
        FakeWriter writer = new FakeWriter(Set.of(37), 0);

        List<RecordOutcome> outcomes = delivery(writer, 3).deliver(batch(100));

        assertThat(outcomes).containsExactly(RecordOutcome.failed(37, "23514 check_violation",
                "new row violates check constraint \"ltv_positive\""));
        assertThat(writer.applied).hasSize(99).doesNotContain(37);
        // halving 100 down to one record costs about 2 requests per level, not one per record
        assertThat(writer.requests).isLessThanOrEqualTo(2 * 8 + 1);
    }

    @Test
    void isolatesSeveralBadRecordsWithTheirOwnIndexes() {
        FakeWriter writer = new FakeWriter(Set.of(0, 50, 99), 0);

        List<RecordOutcome> outcomes = delivery(writer, 3).deliver(batch(100));

        assertThat(outcomes).extracting(RecordOutcome::index).containsExactly(0, 50, 99);
        assertThat(writer.applied).hasSize(97);
    }

    @Test
    void retriesTransientFailuresWithGrowingJitteredBackoff() {
        FakeWriter writer = new FakeWriter(Set.of(), 3);

        List<RecordOutcome> outcomes = delivery(writer, 5).deliver(batch(10));

        assertThat(outcomes).isEmpty();
        assertThat(writer.applied).hasSize(10);
        assertThat(metrics.retries()).isEqualTo(3);
        assertThat(sleeps).hasSize(3);
        // equal jitter: each wait lies in [backoff/2, backoff] and backoff doubles: 100, 200, 400 ms
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void stopsTryingAfterSeveralBatchesInARowExhaustTheirRetries() {
        FakeWriter writer = new FakeWriter(Set.of(), 1_000);
        BatchDelivery delivery = delivery(writer, 2);

        for (int i = 0; i < BatchDelivery.GIVE_UP_AFTER_BATCHES; i++) {
            delivery.deliver(batch(3));
        }
        int requestsBefore = writer.requests;
        List<RecordOutcome> outcomes = delivery.deliver(batch(3));

        assertThat(writer.requests).isEqualTo(requestsBefore);
        assertThat(outcomes).hasSize(3).allSatisfy(outcome -> assertThat(outcome.message())
                .isEqualTo("not sent: 3 batches in a row failed after all retries; last error: connection reset"));
    }

    @Test
    void failsEveryRecordWithTheLastErrorWhenRetriesRunOut() {
        FakeWriter writer = new FakeWriter(Set.of(), 100);

        List<RecordOutcome> outcomes = delivery(writer, 3).deliver(batch(4));

        assertThat(outcomes).hasSize(4).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(RecordOutcome.Status.FAILED);
            assertThat(outcome.errorClass()).isEqualTo("08006");
            assertThat(outcome.message()).isEqualTo("connection reset (gave up after 3 attempts)");
        });
        assertThat(writer.requests).isEqualTo(3);
        assertThat(writer.applied).isEmpty();
    }

    @Test
    void tellsAnUnreachableDestinationApartFromRejectedRecords() {
        BatchDelivery rejecting = delivery(new FakeWriter(Set.of(3), 0), 3);
        BatchDelivery unreachable = delivery(new FakeWriter(Set.of(), 100), 2);

        assertThat(rejecting.deliver(batch(10))).hasSize(1);
        assertThat(rejecting.lastBatchUnreachable()).as("a rejected record: the batch is done").isFalse();
        assertThat(unreachable.deliver(batch(10))).hasSize(10);
        assertThat(unreachable.lastBatchUnreachable()).as("retries exhausted: the batch must be tried again")
                .isTrue();
        BatchDelivery recovered = delivery(new FakeWriter(Set.of(), 1), 3);
        assertThat(recovered.deliver(batch(10))).isEmpty();
        assertThat(recovered.lastBatchUnreachable()).as("delivered on a retry").isFalse();
    }

    @Test
    void waitsAtLeastWhatRetryAfterAsksEvenWhenTheBackoffIsShorter() {
        FakeWriter writer = new FakeWriter(Set.of(), 2);
        writer.retryAfter = Duration.ofSeconds(3);

        List<RecordOutcome> outcomes = delivery(writer, 5).deliver(batch(10));

        assertThat(outcomes).isEmpty();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(metrics.retries()).isEqualTo(2);
    }

    @Test
    void sendsOneRequestPerOperationWhenTheWriterAsksAndMapsOutcomesBack() {
        FakeWriter writer = new FakeWriter(Set.of(5), 0);
        writer.oneOperationPerRequest = true;
        List<Change> mixed = IntStream.range(0, 8)
                .mapToObj(id -> {
                    Operation operation = id % 2 == 0 ? Operation.INSERT : Operation.DELETE;
                    return new Change(operation, RowFactory.create(operation.name(), id));
                })
                .toList();

        List<RecordOutcome> outcomes = delivery(writer, 3).deliver(mixed);

        assertThat(outcomes).extracting(RecordOutcome::index).containsExactly(5);
        assertThat(writer.operationsPerRequest).allSatisfy(operations -> assertThat(operations).hasSize(1));
        assertThat(writer.applied).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 6, 7);
    }

    @Test
    void aBatchsSecondRequestWaitsForItsOwnPermitAndIsCounted() {
        // a writer that looks up before it writes (the SaaS deletes): two requests per batch
        long[] now = {0};
        List<Long> requestStarts = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        Sleeper clockSleeper = duration -> {
            waits.add(duration);
            now[0] += duration.toNanos();
        };
        PartitionWriter twoStep = new PartitionWriter() {
            @Override
            public List<RecordOutcome> send(List<Change> batch) {
                throw new AssertionError("the delivery must offer the permits");
            }

            @Override
            public List<RecordOutcome> send(List<Change> batch, RequestPermits permits) {
                requestStarts.add(now[0]);
                permits.acquire();
                requestStarts.add(now[0]);
                return List.of();
            }

            @Override
            public void close() {
            }
        };
        StrictRateLimiter limiter = new StrictRateLimiter(2, () -> now[0], clockSleeper);
        BatchDelivery delivery = new BatchDelivery(twoStep, limiter, new RetryPolicy(3, Duration.ofMillis(100),
                Duration.ofSeconds(1)), clockSleeper, new Random(7), metrics);

        for (int i = 0; i < 3; i++) {
            assertThat(delivery.deliver(batch(5))).isEmpty();
        }

        assertThat(metrics.requests()).isEqualTo(6);
        assertThat(requestStarts).hasSize(6);
        // 2 per second: every request, first or second of its batch, starts at least 505 ms after the previous
        for (int i = 1; i < requestStarts.size(); i++) {
            assertThat(requestStarts.get(i) - requestStarts.get(i - 1)).isGreaterThanOrEqualTo(505_000_000L);
        }
    }
}

package io.backflow.load;

/**
 * Grants a {@link PartitionWriter} the right to make one more request for the batch it is sending, beyond
 * the first (for which {@link BatchDelivery} already waited): waits for the writer's rate limiter and
 * counts the request. A batch that takes two requests (a lookup, then the write) thus takes two permits,
 * and the writer's request rate still holds.
 */
@FunctionalInterface
public interface RequestPermits {

    /** No rate limit, nothing counted (tests that call a writer directly). */
    RequestPermits NONE = () -> { };

    /** Blocks until the next request may start. */
    void acquire();
}

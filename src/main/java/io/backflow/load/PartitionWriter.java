package io.backflow.load;

import java.util.List;

/**
 * Sends batches of changes to a destination from one Spark partition, over one connection or session.
 *
 * <p>Lifecycle, as Spark's {@code DataWriter}: opened once per partition by
 * {@link Destination#openWriter}, then {@link #prepare} and {@link #send} for each batch, then
 * {@link #close}. Not
 * thread-safe; used by one task thread. A task may be re-run or speculated, so every send must be
 * idempotent: sending the same batch twice leaves the destination as sending it once.
 */
public interface PartitionWriter extends AutoCloseable {

    /**
     * Makes the session ready (connect, create staging objects) so that the next {@link #send} starts
     * its request at once. Called before each request waits for the rate limiter: the limiter spaces
     * request starts, and setup work between a permit and the request would bunch requests up at the
     * server. Cheap when the session is ready.
     *
     * @throws DestinationException transient, if the destination cannot be reached (retried)
     */
    default void prepare() {
    }

    /**
     * Sends one batch as one request (for PostgreSQL: one transaction), all or nothing.
     *
     * @param batch changes with distinct keys; never empty
     * @return the records that were not delivered (e.g. skipped by the mode, or rejected one by one by
     *     an API that reports per-record results); every other record was delivered
     * @throws DestinationException transient: nothing was applied, the request may be retried;
     *     permanent: the batch was rejected because of some record in it, nothing was applied
     */
    List<RecordOutcome> send(List<Change> batch);

    /**
     * Sends one batch that may take more than one request, e.g. a lookup of the destination's own record ids
     * followed by the delete: the first request's rate-limit permit was taken by the caller; each further
     * request must first call {@code permits.acquire()}. All requests of a batch together must be
     * idempotent, as {@link #send(List)}, because a transient failure of any of them resends the batch.
     * The default makes one request: {@link #send(List)}.
     */
    default List<RecordOutcome> send(List<Change> batch, RequestPermits permits) {
        return send(batch);
    }

    /**
     * Whether a batch must hold one operation only, e.g. because an API upserts and deletes through
     * different endpoints. Then a batch mixing operations is delivered as one request per operation, each
     * with its own rate-limit permit, so the request rate still holds.
     */
    default boolean oneOperationPerRequest() {
        return false;
    }

    /** Releases the connection; called once, also after a failure. */
    @Override
    void close();
}

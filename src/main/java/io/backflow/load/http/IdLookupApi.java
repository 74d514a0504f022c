package io.backflow.load.http;

import io.backflow.load.ChangeLayout;
import io.backflow.load.RecordOutcome;

import java.util.List;
import java.util.Map;

/**
 * An API that deletes by its own record ids, which the model (keyed by a unique property or external ID)
 * does not hold: a DELETE batch is a lookup request (keys → record ids), then, if any were found, a delete
 * request of those ids. Each request takes its own rate-limit permit. A key the lookup does not find is
 * already gone: delivered. Both requests are idempotent, so a transient failure of either resends the batch
 * (lookup included); a permanent one splits it.
 */
public interface IdLookupApi extends HttpApi {

    /**
     * The record ids the lookup found.
     *
     * @param ids record ids by position in the batch (one or more per key; a position absent was not found)
     * @param failed records whose lookup the API refused, by position in the batch
     */
    record Found(Map<Integer, List<String>> ids, List<RecordOutcome> failed) {
    }

    /** The read-only request that finds the record ids of {@code keys} (the key column's values as text). */
    HttpCall lookupRequest(List<String> keys, ChangeLayout layout);

    /**
     * Reads a 2xx answer to the lookup.
     *
     * @throws io.backflow.load.DestinationException if the answer cannot be read (transient) or refuses the
     *     lookup as a whole (permanent: split)
     */
    Found found(List<String> keys, ChangeLayout layout, HttpAnswer answer);

    /** The request that deletes {@code ids}. */
    HttpCall deleteRequest(List<String> ids);

    /** Reads a 2xx answer to the delete: the ids not deleted, indexed by position in {@code ids}. */
    List<RecordOutcome> deleteOutcomes(List<String> ids, HttpAnswer answer);
}

package io.backflow.load.http;

import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.RecordOutcome;

import java.io.Serializable;
import java.util.List;

/**
 * What one API makes of a batch: the request that sends it and what a successful answer says about each
 * record. The shared {@link HttpPartitionWriter} does the rest (transport, status codes, retries, rate
 * limit). Implementations are immutable and serializable: built on the driver, used by every writer.
 */
public interface HttpApi extends Serializable {

    /**
     * The request that applies {@code batch}.
     *
     * @param operation the operation every change of the batch has (the writer never mixes them)
     */
    HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout);

    /**
     * The records of {@code batch} that a 2xx {@code answer} reports as not applied, with the API's own
     * message. A record not listed was delivered.
     *
     * @throws io.backflow.load.DestinationException permanent, if the answer rejects the batch without
     *     saying which record (the batch is then split)
     */
    List<RecordOutcome> outcomes(Operation operation, List<Change> batch, ChangeLayout layout, HttpAnswer answer);

    /** A request that proves reachability and that the credentials are accepted, without writing. */
    HttpCall checkRequest();

    /** Checks the model fits the API (e.g. renamed columns exist); throws {@code INVALID_CONFIG} if not. */
    default void checkLayout(ChangeLayout layout) {
    }

    /** A description for logs and messages, e.g. "hubspot contacts at https://api.hubapi.com"; no secrets. */
    String describe();
}

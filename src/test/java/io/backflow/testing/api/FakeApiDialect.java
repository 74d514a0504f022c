package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * What distinguishes one fake API from another: its routes, how records sit in a request body, and how it
 * answers. The shared behaviours (auth, rate limit, batch size, injected failures, state) are in
 * {@link FakeApiServer}.
 */
public interface FakeApiDialect {

    /** What a request is. */
    enum Route { UPSERT, DELETE, READ, UNKNOWN }

    Route route(String method, String path);

    /** The records of a write request's body. */
    List<JsonNode> records(JsonNode body);

    /** A record's id, as the API matches it. */
    String id(JsonNode record);

    /** The fields the API stores for a record (its properties, without the id). */
    ObjectNode fields(JsonNode record);

    /** The answer to a write whose records were all checked: {@code errors} per record, empty if accepted. */
    Answer answer(List<JsonNode> records, List<Optional<String>> errors);

    /** The answer to a request over the batch size limit. */
    Answer oversize(int size, int limit);

    /** The answer to a request without a valid token. */
    Answer unauthorized();

    /** The answer to a successful read (the check request). */
    Answer read();

    /** Whether the API applies accepted records of a batch holding refused ones (per-record results). */
    boolean appliesPartially();

    /** An HTTP answer: status and JSON body. */
    record Answer(int status, String body) {
    }
}

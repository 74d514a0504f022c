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
    enum Route { UPSERT, DELETE, LOOKUP, READ, UNKNOWN }

    Route route(String method, String path);

    /** The records of a write request's body. */
    List<JsonNode> records(JsonNode body);

    /**
     * The records (or keys, or ids) a request is about: by default the body's records; an API that takes them
     * in the URI (a query, a delete by ids) reads them from {@code uri}.
     *
     * @throws IllegalArgumentException if the request is malformed (answered 400)
     */
    default List<JsonNode> records(Route route, String uri, JsonNode body) {
        return records(body);
    }

    /** The key of the stored record a delete request's record names (an API deleting by its own id maps it back). */
    default String deletedKey(JsonNode record) {
        return id(record);
    }

    /** The answer to a lookup of {@code keys} (an API's read of its record ids by unique property). */
    default Answer lookup(List<JsonNode> keys, java.util.Map<String, ObjectNode> stored) {
        throw new UnsupportedOperationException("this API has no lookup");
    }

    /** The answer to a delete; {@code existed} per record says whether it was there. */
    default Answer deleted(List<JsonNode> records, List<Boolean> existed) {
        return answer(records, records.stream().map(record -> Optional.<String>empty()).toList());
    }

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

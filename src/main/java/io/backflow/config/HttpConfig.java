package io.backflow.config;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A generic JSON batch API ({@code type: http}).
 *
 * @param url where upserts (inserts and updates) are sent
 * @param method the upsert method, e.g. {@code POST}
 * @param headers sent with every request (authentication among them; masked in logs)
 * @param batchSize records per request
 * @param bodyField the field holding the records in the body ({@code inputs} → {@code {"inputs": [...]}});
 *     empty for a bare JSON array
 * @param rename model column → API field name; unlisted columns keep their name
 * @param delete where deletes go (keys only); empty if the API cannot delete
 * @param results where the answer holds per-record results; empty if a 2xx answer means all were applied
 * @param checkUrl what {@code validate} reads (GET) to prove reachability and credentials; empty for {@code url}
 * @param timeout the longest wait to connect and for an answer
 */
public record HttpConfig(
        URI url,
        String method,
        Map<String, Secret> headers,
        int batchSize,
        Optional<String> bodyField,
        Map<String, String> rename,
        Optional<Delete> delete,
        Optional<Results> results,
        Optional<URI> checkUrl,
        Duration timeout) implements DestinationConfig {

    public static final int DEFAULT_BATCH_SIZE = 100;

    public HttpConfig {
        headers = Map.copyOf(headers);
        rename = Map.copyOf(rename);
    }

    /** Where and how deletes are sent. */
    public record Delete(String method, URI url) implements Serializable {

        @Override
        public String toString() {
            return "Delete[" + method + " " + Secret.maskUrl(url) + "]";
        }
    }

    /**
     * Per-record results: {@code field} is an array in the answer, one element per record in request order;
     * an element whose {@code errorField} is present and not null or false was refused. The error may be
     * text or an object with {@code message} and {@code code}.
     */
    public record Results(String field, String errorField) implements Serializable {
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public boolean canDelete() {
        return delete.isPresent();
    }

    @Override
    public String toString() {
        return "HttpConfig[" + method + " " + Secret.maskUrl(url) + ", headers=" + new TreeMap<>(headers) + ", batchSize=" + batchSize
                + ", bodyField=" + bodyField.orElse("(bare array)") + ", rename=" + new TreeMap<>(rename) + ", delete="
                + delete.map(Object::toString).orElse("(none)") + ", results=" + results.map(Object::toString)
                .orElse("(none)") + ", timeout=" + timeout + "]";
    }
}

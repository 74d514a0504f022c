package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A typical in-house JSON batch API: {@code POST /v1/contacts/batch} and {@code POST /v1/contacts/batch/delete}
 * with {@code {"inputs": [{"id": …, …}]}}, {@code GET /v1/me}. With per-record results it applies the
 * accepted records and answers {@code {"results": [{"id": …, "error": null | {"code", "message"}}]}};
 * without, it refuses a batch holding any invalid record with a 400 and applies nothing.
 */
public final class GenericDialect implements FakeApiDialect {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final boolean perRecordResults;

    public GenericDialect(boolean perRecordResults) {
        this.perRecordResults = perRecordResults;
    }

    @Override
    public Route route(String method, String path) {
        if (method.equals("POST") && path.equals("/v1/contacts/batch")) {
            return Route.UPSERT;
        } else if (method.equals("POST") && path.equals("/v1/contacts/batch/delete")) {
            return Route.DELETE;
        } else if (method.equals("GET") && path.equals("/v1/me")) {
            return Route.READ;
        }
        return Route.UNKNOWN;
    }

    @Override
    public List<JsonNode> records(JsonNode body) {
        List<JsonNode> records = new ArrayList<>();
        body.path("inputs").forEach(records::add);
        return records;
    }

    @Override
    public String id(JsonNode record) {
        return record.path("id").asText();
    }

    @Override
    public ObjectNode fields(JsonNode record) {
        ObjectNode fields = record.deepCopy();
        fields.remove("id");
        return fields;
    }

    @Override
    public Answer answer(List<JsonNode> records, List<Optional<String>> errors) {
        if (!perRecordResults) {
            for (int i = 0; i < records.size(); i++) {
                if (errors.get(i).isPresent()) {
                    return new Answer(400, "{\"message\":\"input " + i + ": " + errors.get(i).get() + "\"}");
                }
            }
            return new Answer(200, "{\"status\":\"ok\"}");
        }
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        for (int i = 0; i < records.size(); i++) {
            ObjectNode result = results.addObject().put("id", id(records.get(i)));
            if (errors.get(i).isPresent()) {
                result.putObject("error").put("code", "INVALID_EMAIL").put("message", errors.get(i).get());
            } else {
                result.putNull("error");
            }
        }
        return new Answer(200, body.toString());
    }

    @Override
    public Answer oversize(int size, int limit) {
        return new Answer(400, "{\"message\":\"batch of " + size + " exceeds the limit of " + limit + "\"}");
    }

    @Override
    public Answer unauthorized() {
        return new Answer(401, "{\"message\":\"invalid token\"}");
    }

    @Override
    public Answer read() {
        return new Answer(200, "{\"user\":\"backflow\"}");
    }

    @Override
    public boolean appliesPartially() {
        return perRecordResults;
    }
}

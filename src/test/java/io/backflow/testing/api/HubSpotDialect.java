package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HubSpot's CRM v3 batch upsert for one object type, as documented: {@code POST
 * /crm/v3/objects/{type}/batch/upsert} with {@code {"inputs": [{"idProperty", "id", "properties"}]}}, at most
 * 100 inputs; 200 {@code {"status": "COMPLETE", "results": […]}} when all were applied, 207 with an
 * {@code errors} array (each naming its input's id in {@code context.ids}) when some were refused; property
 * values are strings. Reads: {@code GET /crm/v3/objects/{type}?limit=1}.
 */
public final class HubSpotDialect implements FakeApiDialect {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String objectType;
    private final String idProperty;

    public HubSpotDialect(String objectType, String idProperty) {
        this.objectType = objectType;
        this.idProperty = idProperty;
    }

    @Override
    public Route route(String method, String path) {
        String objects = "/crm/v3/objects/" + objectType;
        if (method.equals("POST") && path.equals(objects + "/batch/upsert")) {
            return Route.UPSERT;
        } else if (method.equals("GET") && path.startsWith(objects + "?")) {
            return Route.READ;
        }
        return Route.UNKNOWN;
    }

    @Override
    public List<JsonNode> records(JsonNode body) {
        List<JsonNode> inputs = new ArrayList<>();
        body.path("inputs").forEach(inputs::add);
        return inputs;
    }

    @Override
    public String id(JsonNode record) {
        return record.path("id").asText();
    }

    /** The properties; a wrong idProperty or a non-string value makes the input invalid (HubSpot's rules). */
    @Override
    public ObjectNode fields(JsonNode record) {
        ObjectNode properties = record.path("properties").deepCopy();
        if (!idProperty.equals(record.path("idProperty").asText())) {
            properties.put(FakeApiServer.INVALID, "idProperty must be " + idProperty);
        }
        record.path("properties").fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                properties.put(FakeApiServer.INVALID, "property " + entry.getKey() + " must be a string");
            }
        });
        return properties;
    }

    @Override
    public Answer answer(List<JsonNode> records, List<Optional<String>> errors) {
        ObjectNode body = MAPPER.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = body.putArray("results");
        ArrayNode errorNodes = MAPPER.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            if (errors.get(i).isPresent()) {
                ObjectNode error = errorNodes.addObject().put("status", "error").put("category", "VALIDATION_ERROR")
                        .put("message", errors.get(i).get());
                error.putObject("context").putArray("ids").add(id(records.get(i)));
            } else {
                results.addObject().put("id", "hs-" + id(records.get(i))).set("properties", fields(records.get(i)));
            }
        }
        if (errorNodes.isEmpty()) {
            return new Answer(200, body.toString());
        }
        body.put("numErrors", errorNodes.size()).set("errors", errorNodes);
        return new Answer(207, body.toString());
    }

    @Override
    public Answer oversize(int size, int limit) {
        return new Answer(400, "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Batch input "
                + "can contain at most " + limit + " inputs, got " + size + "\"}");
    }

    @Override
    public Answer unauthorized() {
        return new Answer(401, "{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\",\"message\":"
                + "\"Authentication credentials not found.\"}");
    }

    @Override
    public Answer read() {
        return new Answer(200, "{\"results\":[]}");
    }

    @Override
    public boolean appliesPartially() {
        return true;
    }
}

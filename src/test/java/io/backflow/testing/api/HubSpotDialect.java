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
        } else if (method.equals("POST") && path.equals(objects + "/batch/read")) {
            return Route.LOOKUP;
        } else if (method.equals("POST") && path.equals(objects + "/batch/archive")) {
            return Route.DELETE;
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

    /** A batch read must name the unique property in {@code idProperty} and list properties (HubSpot's shape). */
    @Override
    public List<JsonNode> records(Route route, String uri, JsonNode body) {
        if (route == Route.LOOKUP) {
            if (!idProperty.equals(body.path("idProperty").asText())) {
                throw new IllegalArgumentException("batch/read by " + body.path("idProperty").asText("(no idProperty)")
                        + ": only " + idProperty + " is a unique property here");
            }
            if (!body.path("properties").isArray()) {
                throw new IllegalArgumentException("batch/read needs a properties array");
            }
        }
        List<JsonNode> inputs = records(body);
        for (JsonNode input : inputs) {
            if (!input.path("id").isTextual()) {
                throw new IllegalArgumentException("every input needs an id string");
            }
        }
        return inputs;
    }

    /** The HubSpot record id of a stored record, as HubSpot would assign it. */
    public static String recordId(String key) {
        return "hs-" + key;
    }

    /** Archive inputs carry HubSpot record ids; an id that is not one names no record. */
    @Override
    public String deletedKey(JsonNode record) {
        String id = record.path("id").asText();
        return id.startsWith("hs-") ? id.substring(3) : "\0not a record id: " + id;
    }

    /**
     * 200 with a result per found record ({@code id} and the requested properties), 207 with an
     * {@code OBJECT_NOT_FOUND} error naming the keys not found in {@code context.ids}.
     */
    @Override
    public Answer lookup(List<JsonNode> keys, java.util.Map<String, ObjectNode> stored) {
        ObjectNode body = MAPPER.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = body.putArray("results");
        ArrayNode missing = MAPPER.createArrayNode();
        for (JsonNode input : keys) {
            String key = input.path("id").asText();
            if (stored.containsKey(key)) {
                ObjectNode result = results.addObject().put("id", recordId(key));
                result.putObject("properties").put(idProperty, key).put("hs_object_id", recordId(key));
                result.put("archived", false);
            } else {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return new Answer(200, body.toString());
        }
        ObjectNode error = body.put("numErrors", 1).putArray("errors").addObject().put("status", "error")
                .put("category", "OBJECT_NOT_FOUND").put("message", "Could not get some CONTACT objects, they may "
                        + "be deleted or not exist. Check that ids are valid.");
        error.putObject("context").set("ids", missing);
        return new Answer(207, body.toString());
    }

    /** 204 without a body, whether or not the ids existed. */
    @Override
    public Answer deleted(List<JsonNode> records, List<Boolean> existed) {
        return new Answer(204, "");
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

package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Salesforce sObject Collections upsert, as documented: {@code PATCH
 * /services/data/vXX.X/composite/sobjects/{sObject}/{externalIdField}} with {@code {"allOrNone": false,
 * "records": [{"attributes": {"type": …}, …}]}}, at most 200 records; 200 with one {@code UpsertResult} per
 * record in order ({@code success}, {@code errors[{statusCode, message, fields}]}, {@code created}).
 * Reads: {@code GET …/sobjects/{sObject}/describe}.
 */
public final class SalesforceDialect implements FakeApiDialect {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String version;
    private final String sObject;
    private final String externalIdField;

    public SalesforceDialect(String version, String sObject, String externalIdField) {
        this.version = version;
        this.sObject = sObject;
        this.externalIdField = externalIdField;
    }

    @Override
    public Route route(String method, String path) {
        String data = "/services/data/v" + version;
        if (method.equals("PATCH") && path.equals(data + "/composite/sobjects/" + sObject + "/" + externalIdField)) {
            return Route.UPSERT;
        } else if (method.equals("GET") && path.equals(data + "/sobjects/" + sObject + "/describe")) {
            return Route.READ;
        }
        return Route.UNKNOWN;
    }

    @Override
    public List<JsonNode> records(JsonNode body) {
        List<JsonNode> records = new ArrayList<>();
        body.path("records").forEach(records::add);
        if (body.path("allOrNone").asBoolean(true)) {
            throw new IllegalArgumentException("Backflow must send allOrNone: false");
        }
        return records;
    }

    @Override
    public String id(JsonNode record) {
        return record.path(externalIdField).asText();
    }

    /** The fields; a record without {@code attributes.type} of this sObject is invalid (Salesforce's rule). */
    @Override
    public ObjectNode fields(JsonNode record) {
        ObjectNode fields = record.deepCopy();
        fields.remove("attributes");
        fields.remove(externalIdField);
        if (!sObject.equals(record.path("attributes").path("type").asText())) {
            fields.put(FakeApiServer.INVALID, "attributes.type must be " + sObject);
        }
        return fields;
    }

    @Override
    public Answer answer(List<JsonNode> records, List<Optional<String>> errors) {
        ArrayNode results = MAPPER.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            ObjectNode result = results.addObject();
            if (errors.get(i).isPresent()) {
                result.put("success", false);
                ObjectNode error = result.putArray("errors").addObject()
                        .put("statusCode", "INVALID_EMAIL_ADDRESS").put("message", errors.get(i).get());
                error.putArray("fields").add("Email");
            } else {
                result.put("id", "003" + id(records.get(i))).put("success", true).put("created", true);
                result.putArray("errors");
            }
        }
        return new Answer(200, results.toString());
    }

    @Override
    public Answer oversize(int size, int limit) {
        return new Answer(400, "[{\"message\":\"The number of records, " + size + ", exceeds the limit of " + limit
                + "\",\"errorCode\":\"EXCEEDED_ID_LIMIT\"}]");
    }

    @Override
    public Answer unauthorized() {
        return new Answer(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }

    @Override
    public Answer read() {
        return new Answer(200, "{\"name\":\"" + sObject + "\",\"fields\":[]}");
    }

    @Override
    public boolean appliesPartially() {
        return true;
    }
}

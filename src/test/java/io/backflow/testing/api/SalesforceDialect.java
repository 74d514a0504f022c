package io.backflow.testing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
        } else if (method.equals("GET") && path.startsWith(data + "/query?q=")) {
            return Route.LOOKUP;
        } else if (method.equals("DELETE") && path.startsWith(data + "/composite/sobjects?")) {
            return Route.DELETE;
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

    /**
     * A query must be exactly {@code SELECT Id, <field> FROM <sObject> WHERE <field> IN (<literals>)}, its
     * literals numbers or SOQL-quoted strings (the keys); a delete lists {@code ids} and {@code allOrNone=false}.
     */
    @Override
    public List<JsonNode> records(Route route, String uri, JsonNode body) {
        if (route == Route.LOOKUP) {
            String soql = URLDecoder.decode(uri.substring(uri.indexOf("?q=") + 3), StandardCharsets.UTF_8);
            String prefix = "SELECT Id, " + externalIdField + " FROM " + sObject + " WHERE " + externalIdField + " IN (";
            if (!soql.startsWith(prefix) || !soql.endsWith(")")) {
                throw new IllegalArgumentException("MALFORMED_QUERY: unexpected query " + soql);
            }
            return literals(soql.substring(prefix.length(), soql.length() - 1));
        }
        if (route == Route.DELETE) {
            java.util.Map<String, String> parameters = new java.util.HashMap<>();
            for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
            if (!"false".equals(parameters.get("allOrNone"))) {
                throw new IllegalArgumentException("Backflow must send allOrNone=false");
            }
            List<JsonNode> ids = new ArrayList<>();
            for (String id : parameters.getOrDefault("ids", "").split(",")) {
                if (!id.isEmpty()) {
                    ids.add(MAPPER.getNodeFactory().textNode(id));
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("ids is required");
            }
            return ids;
        }
        return records(body);
    }

    /** The comma-separated SOQL literals: numbers, or single-quoted strings with backslash escapes. */
    private static List<JsonNode> literals(String list) {
        List<JsonNode> values = new ArrayList<>();
        int i = 0;
        while (i < list.length()) {
            StringBuilder value = new StringBuilder();
            if (list.charAt(i) == '\'') {
                i++;
                while (list.charAt(i) != '\'') {
                    char c = list.charAt(i++);
                    if (c == '\\') {
                        char escaped = list.charAt(i++);
                        value.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> escaped;
                        });
                    } else {
                        value.append(c);
                    }
                }
                i++;
            } else {
                while (i < list.length() && list.charAt(i) != ',') {
                    value.append(list.charAt(i++));
                }
                if (!value.toString().matches("-?[0-9]+(\\.[0-9]+)?")) {
                    throw new IllegalArgumentException("MALFORMED_QUERY: unquoted literal " + value);
                }
            }
            values.add(MAPPER.getNodeFactory().textNode(value.toString()));
            if (i < list.length() && list.charAt(i) != ',') {
                throw new IllegalArgumentException("MALFORMED_QUERY: expected ',' at " + list.substring(i));
            }
            i++;
        }
        return values;
    }

    /** The Salesforce Id of a stored record, as Salesforce would assign it. */
    public static String recordId(String key) {
        return "003" + key;
    }

    @Override
    public String deletedKey(JsonNode record) {
        String id = record.asText();
        return id.startsWith("003") ? id.substring(3) : "\0not an Id: " + id;
    }

    /** The query's answer: one record per stored key, with {@code Id} and the external ID. */
    @Override
    public Answer lookup(List<JsonNode> keys, java.util.Map<String, ObjectNode> stored) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode found = body.putArray("records");
        for (JsonNode key : keys) {
            if (stored.containsKey(key.asText())) {
                ObjectNode record = found.addObject();
                record.putObject("attributes").put("type", sObject)
                        .put("url", "/services/data/v" + version + "/sobjects/" + sObject + "/" + recordId(key.asText()));
                record.put("Id", recordId(key.asText())).put(externalIdField, key.asText());
            }
        }
        body.put("totalSize", found.size()).put("done", true);
        return new Answer(200, body.toString());
    }

    /** One {@code DeleteResult} per id in order; an id not there is {@code ENTITY_IS_DELETED}. */
    @Override
    public Answer deleted(List<JsonNode> records, List<Boolean> existed) {
        ArrayNode results = MAPPER.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            ObjectNode result = results.addObject().put("id", records.get(i).asText()).put("success", existed.get(i));
            ArrayNode errors = result.putArray("errors");
            if (!existed.get(i)) {
                errors.addObject().put("statusCode", "ENTITY_IS_DELETED").put("message", "entity is deleted")
                        .putArray("fields");
            }
        }
        return new Answer(200, results.toString());
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

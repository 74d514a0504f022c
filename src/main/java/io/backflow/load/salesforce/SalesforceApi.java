package io.backflow.load.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.BackflowException.Category;
import io.backflow.config.SalesforceConfig;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.DestinationException;
import io.backflow.load.RecordOutcome;
import io.backflow.load.http.FieldNames;
import io.backflow.load.http.HttpAnswer;
import io.backflow.load.http.HttpCall;
import io.backflow.load.http.IdLookupApi;
import io.backflow.load.http.RecordJson;
import io.backflow.load.http.SingleKey;

import org.apache.spark.sql.types.NumericType;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Salesforce sObject Collections upsert by external ID:
 * {@code PATCH /services/data/vXX.X/composite/sobjects/{sObject}/{externalIdField}} with
 * {@code {"allOrNone": false, "records": [{"attributes": {"type": …}, <externalIdField>: <key>, …}]}}.
 * An insert sends every synced column as a field, an update the ones {@link ChangeLayout#columnsToSend} names
 * (with {@code update_fields: changed}, those whose value changed); records of one request may hold different
 * fields, and an upsert that updates leaves the fields a record omits as they are.
 * Salesforce applies each record on its own and answers 200 with one {@code UpsertResult} per record, in
 * request order: {@code {"success": false, "errors": [{"statusCode": …, "message": …}]}} marks a refused
 * one. A 400 means the request as a whole was malformed.
 *
 * <p>Collections rather than Bulk API 2.0: a nightly reverse-ETL run sends changes, typically thousands, not
 * millions; Collections answer synchronously per record (no job to create, poll and download results
 * for), fit the writers' request-per-batch model and rate limit, and count one API call per 200 records.
 * Bulk API 2.0 pays off above roughly a hundred thousand records per run and is future work.
 *
 * <p>Deletes: Collections delete by Salesforce Id, so a DELETE batch first queries the Ids by the external
 * ID ({@code GET …/query?q=SELECT Id, <field> FROM <sObject> WHERE <field> IN (…)}, text keys as quoted and
 * escaped SOQL literals, numeric keys as numbers), then deletes the Ids found ({@code DELETE
 * …/composite/sobjects?ids=…&allOrNone=false}, at most 200, one {@code DeleteResult} per id in order).
 * Keys the query does not return, and ids Salesforce reports {@code ENTITY_IS_DELETED}, are already gone.
 */
public final class SalesforceApi implements IdLookupApi {

    private static final long serialVersionUID = 1L;

    private final SalesforceConfig config;

    public SalesforceApi(SalesforceConfig config) {
        this.config = config;
    }

    @Override
    public HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout) {
        if (operation == Operation.DELETE) {
            throw new IllegalStateException("salesforce deletes by lookup: the writer sends lookupRequest, deleteRequest");
        }
        String key = SingleKey.of(layout, describe(), config.externalIdField());
        ArrayNode records = RecordJson.MAPPER.createArrayNode();
        for (Change change : batch) {
            ObjectNode record = records.addObject();
            record.putObject("attributes").put("type", config.sObject());
            record.set(config.externalIdField(), RecordJson.value(layout, change.row(), key));
            // Per record: an upsert that updates sets only the fields a record names, so an update that sends
            // just the changed ones leaves edits made in Salesforce to the others in place.
            record.setAll(RecordJson.fields(layout, change.row(), layout.columnsToSend(change.row()), config.rename()));
        }
        ObjectNode body = RecordJson.MAPPER.createObjectNode();
        body.put("allOrNone", false);
        body.set("records", records);
        return HttpCall.withBody("PATCH", data("/composite/sobjects/" + config.sObject() + "/"
                + config.externalIdField()), RecordJson.bytes(body));
    }

    @Override
    public List<RecordOutcome> outcomes(Operation operation, List<Change> batch, ChangeLayout layout,
            HttpAnswer answer) {
        JsonNode results = answer.json();
        if (!results.isArray() || results.size() != batch.size()) {
            throw new DestinationException(Category.TRANSIENT_DESTINATION, "HTTP " + answer.status(), describe()
                    + " answered without one result per record: " + answer.bodyExcerpt(), null);
        }
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode result = results.get(i);
            if (result.path("success").asBoolean(false)) {
                continue;
            }
            JsonNode error = result.path("errors").path(0);
            String fields = error.path("fields").isArray() && !error.path("fields").isEmpty()
                    ? " (fields " + error.path("fields") + ")" : "";
            outcomes.add(RecordOutcome.failed(i, "HTTP " + answer.status() + " "
                    + error.path("statusCode").asText("UNKNOWN"), error.path("message").asText(result.toString()) + fields));
        }
        return outcomes;
    }

    /** A numeric key column is compared as numbers, any other as quoted SOQL string literals. */
    @Override
    public HttpCall lookupRequest(List<String> keys, ChangeLayout layout) {
        boolean numeric = numericKey(layout);
        String values = keys.stream().map(key -> numeric ? key : literal(key)).collect(Collectors.joining(","));
        String soql = "SELECT Id, " + config.externalIdField() + " FROM " + config.sObject() + " WHERE "
                + config.externalIdField() + " IN (" + values + ")";
        return HttpCall.get(data("/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8)));
    }

    private boolean numericKey(ChangeLayout layout) {
        return layout.field(SingleKey.of(layout, describe(), config.externalIdField())).dataType()
                instanceof NumericType;
    }

    /** Text as a SOQL string literal: in single quotes, with SOQL's escapes (no way out of the literal). */
    static String literal(String key) {
        StringBuilder quoted = new StringBuilder("'");
        for (char c : key.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }

    /**
     * Maps each returned record to its key by the external ID's value (numbers by value, text ignoring case,
     * as Salesforce compares a text external ID unless it is case-sensitive). A key without a record is not
     * found; several records for one key (an external ID not marked unique) are all deleted.
     */
    @Override
    public Found found(List<String> keys, ChangeLayout layout, HttpAnswer answer) {
        boolean numeric = numericKey(layout);
        JsonNode body = answer.json();
        if (!body.path("records").isArray()) {
            throw new DestinationException(Category.TRANSIENT_DESTINATION, "HTTP " + answer.status(), describe()
                    + " answered a query without records: " + answer.bodyExcerpt(), null);
        }
        if (!body.path("done").asBoolean(true)) {
            throw new DestinationException(Category.PERMANENT_RECORD, "HTTP " + answer.status() + " TOO_MANY_MATCHES",
                    describe() + " matched more records than one query page holds for " + keys.size() + " keys", null);
        }
        Map<String, Integer> indexByKey = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            indexByKey.putIfAbsent(comparable(keys.get(i), numeric), i);
        }
        Map<Integer, List<String>> ids = new HashMap<>();
        for (JsonNode record : body.path("records")) {
            Integer index = indexByKey.get(comparable(record.path(config.externalIdField()).asText(""), numeric));
            if (index != null && record.hasNonNull("Id")) {
                ids.computeIfAbsent(index, i -> new ArrayList<>()).add(record.path("Id").asText());
            }
        }
        return new Found(ids, List.of());
    }

    private static String comparable(String value, boolean numeric) {
        if (numeric) {
            try {
                return new BigDecimal(value).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public HttpCall deleteRequest(List<String> ids) {
        if (ids.size() > SalesforceConfig.MAX_BATCH_SIZE) {
            // Only when keys match several records each: halve the batch until its ids fit one call.
            throw new DestinationException(Category.PERMANENT_RECORD, "TOO_MANY_IDS", describe() + " found "
                    + ids.size() + " records to delete, more than the " + SalesforceConfig.MAX_BATCH_SIZE
                    + " one call takes", null);
        }
        String list = ids.stream().map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
        return new HttpCall("DELETE", data("/composite/sobjects?ids=" + list + "&allOrNone=false"),
                Optional.empty());
    }

    @Override
    public List<RecordOutcome> deleteOutcomes(List<String> ids, HttpAnswer answer) {
        JsonNode results = answer.json();
        if (!results.isArray() || results.size() != ids.size()) {
            throw new DestinationException(Category.TRANSIENT_DESTINATION, "HTTP " + answer.status(), describe()
                    + " answered a delete without one result per id: " + answer.bodyExcerpt(), null);
        }
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode result = results.get(i);
            JsonNode error = result.path("errors").path(0);
            String status = error.path("statusCode").asText("UNKNOWN");
            if (result.path("success").asBoolean(false) || status.equals("ENTITY_IS_DELETED")) {
                continue;
            }
            outcomes.add(RecordOutcome.failed(i, "HTTP " + answer.status() + " " + status,
                    error.path("message").asText(result.toString()) + " (Id " + ids.get(i) + ")"));
        }
        return outcomes;
    }

    /** Describes the sObject: proves the token is accepted and the object is visible. Writes nothing. */
    @Override
    public HttpCall checkRequest() {
        return HttpCall.get(data("/sobjects/" + config.sObject() + "/describe"));
    }

    @Override
    public void checkLayout(ChangeLayout layout) {
        SingleKey.of(layout, describe(), config.externalIdField());
        FieldNames.check(config.rename(), layout, layout.columns(), Optional.of(config.externalIdField()), describe());
    }

    @Override
    public String describe() {
        return "salesforce " + config.sObject() + " by " + config.externalIdField() + " at " + config.instanceUrl();
    }

    private URI data(String path) {
        String base = config.instanceUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/services/data/v" + config.apiVersion() + path);
    }
}

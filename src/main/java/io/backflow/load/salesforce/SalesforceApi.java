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
import io.backflow.load.http.HttpAnswer;
import io.backflow.load.http.HttpApi;
import io.backflow.load.http.HttpCall;
import io.backflow.load.http.RecordJson;
import io.backflow.load.http.SingleKey;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Salesforce sObject Collections upsert by external ID:
 * {@code PATCH /services/data/vXX.X/composite/sobjects/{sObject}/{externalIdField}} with
 * {@code {"allOrNone": false, "records": [{"attributes": {"type": …}, <externalIdField>: <key>, …}]}}.
 * Salesforce applies each record on its own and answers 200 with one {@code UpsertResult} per record, in
 * request order: {@code {"success": false, "errors": [{"statusCode": …, "message": …}]}} marks a refused
 * one. A 400 means the request as a whole was malformed.
 *
 * <p>Collections rather than Bulk API 2.0: a nightly reverse-ETL run sends changes, typically thousands, not
 * millions; Collections answer synchronously per record (no job to create, poll and download results
 * for), fit the writers' request-per-batch model and rate limit, and count one API call per 200 records.
 * Bulk API 2.0 pays off above roughly a hundred thousand records per run and is future work.
 */
public final class SalesforceApi implements HttpApi {

    private static final long serialVersionUID = 1L;

    private final SalesforceConfig config;

    public SalesforceApi(SalesforceConfig config) {
        this.config = config;
    }

    @Override
    public HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout) {
        if (operation == Operation.DELETE) {
            throw new IllegalStateException("salesforce cannot delete; the config check allows no mode that deletes");
        }
        String key = SingleKey.of(layout, describe(), config.externalIdField());
        ArrayNode records = RecordJson.MAPPER.createArrayNode();
        for (Change change : batch) {
            ObjectNode record = records.addObject();
            record.putObject("attributes").put("type", config.sObject());
            record.set(config.externalIdField(), RecordJson.value(layout, change.row(), key));
            record.setAll(RecordJson.fields(layout, change.row(), layout.columns(), config.rename()));
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

    /** Describes the sObject: proves the token is accepted and the object is visible. Writes nothing. */
    @Override
    public HttpCall checkRequest() {
        return HttpCall.get(data("/sobjects/" + config.sObject() + "/describe"));
    }

    @Override
    public void checkLayout(ChangeLayout layout) {
        SingleKey.of(layout, describe(), config.externalIdField());
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

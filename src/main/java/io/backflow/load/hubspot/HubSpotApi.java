package io.backflow.load.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.BackflowException.Category;
import io.backflow.config.HubSpotConfig;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;

/**
 * HubSpot's CRM v3 batch upsert: {@code POST /crm/v3/objects/{objectType}/batch/upsert} with
 * {@code {"inputs": [{"idProperty": …, "id": <key>, "properties": {…}}]}}, every property value as text
 * (HubSpot's own representation; an empty string clears a property). An insert sends every synced column as
 * a property, an update the ones {@link ChangeLayout#columnsToSend} names (with {@code update_fields: changed},
 * those whose value changed): each input has its own {@code properties}, and HubSpot keeps the stored value
 * of every property an input leaves out. HubSpot answers 200 when all records were applied, 207
 * (multi-status) with an {@code errors} array naming the failed inputs' ids in each error's
 * {@code context}, and 400 when it refuses the batch as a whole (then the batch is split).
 *
 * <p>Deletes: HubSpot archives by its own record id, so a DELETE batch first reads the records by the
 * unique property ({@code POST …/batch/read} with {@code idProperty}, asking for that property only), then
 * archives the ids found ({@code POST …/batch/archive}, 204). Keys HubSpot does not find (an
 * {@code OBJECT_NOT_FOUND} error naming them, or simply no result) are already gone.
 */
public final class HubSpotApi implements IdLookupApi {

    private static final long serialVersionUID = 1L;

    private final HubSpotConfig config;

    public HubSpotApi(HubSpotConfig config) {
        this.config = config;
    }

    @Override
    public HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout) {
        if (operation == Operation.DELETE) {
            throw new IllegalStateException("hubspot deletes by lookup: the writer sends lookupRequest, deleteRequest");
        }
        String key = SingleKey.of(layout, describe(), config.idProperty());
        ArrayNode inputs = RecordJson.MAPPER.createArrayNode();
        for (Change change : batch) {
            ObjectNode properties = RecordJson.MAPPER.createObjectNode();
            // Per input: HubSpot updates only the properties an input names, so an update that sends just the
            // changed ones leaves edits made in HubSpot to the others in place.
            for (String column : layout.columnsToSend(change.row())) {
                properties.put(config.rename().getOrDefault(column, column), RecordJson.text(layout, change.row(), column));
            }
            ObjectNode input = inputs.addObject();
            input.put("idProperty", config.idProperty());
            input.put("id", RecordJson.text(layout, change.row(), key));
            input.set("properties", properties);
        }
        ObjectNode body = RecordJson.MAPPER.createObjectNode();
        body.set("inputs", inputs);
        return HttpCall.withBody("POST", objects("/batch/upsert"), RecordJson.bytes(body));
    }

    @Override
    public List<RecordOutcome> outcomes(Operation operation, List<Change> batch, ChangeLayout layout,
            HttpAnswer answer) {
        JsonNode errors = answer.json().path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return List.of();
        }
        String key = SingleKey.of(layout, describe(), config.idProperty());
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            indexById.put(RecordJson.text(layout, batch.get(i).row(), key), i);
        }
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (JsonNode error : errors) {
            List<Integer> indexes = new ArrayList<>();
            error.path("context").forEach(values -> values.forEach(id -> {
                Integer index = indexById.get(id.asText());
                if (index != null) {
                    indexes.add(index);
                }
            }));
            if (indexes.isEmpty()) {
                // An error HubSpot does not tie to an input: isolate the record by splitting the batch.
                throw new DestinationException(Category.PERMANENT_RECORD, "HTTP " + answer.status() + " "
                        + error.path("category").asText("error"), describe() + " refused part of a batch without "
                        + "naming the record: " + error.path("message").asText(answer.bodyExcerpt()), null);
            }
            for (int index : indexes) {
                outcomes.add(RecordOutcome.failed(index, "HTTP " + answer.status() + " "
                        + error.path("category").asText("error"), error.path("message").asText(error.toString())));
            }
        }
        return outcomes;
    }

    @Override
    public HttpCall lookupRequest(List<String> keys, ChangeLayout layout) {
        ObjectNode body = RecordJson.MAPPER.createObjectNode();
        body.put("idProperty", config.idProperty());
        body.putArray("properties").add(config.idProperty());
        ArrayNode inputs = body.putArray("inputs");
        keys.forEach(key -> inputs.addObject().put("id", key));
        return HttpCall.withBody("POST", objects("/batch/read"), RecordJson.bytes(body));
    }

    /**
     * Maps each result back to its key by the unique property's value (exactly, else ignoring case: HubSpot
     * stores e-mail addresses in lower case). {@code OBJECT_NOT_FOUND} errors and keys without a result are
     * not found; an error of another category fails the records it names.
     */
    @Override
    public Found found(List<String> keys, ChangeLayout layout, HttpAnswer answer) {
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> folded = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            exact.put(keys.get(i), i);
            folded.putIfAbsent(keys.get(i).toLowerCase(Locale.ROOT), i);
        }
        Map<Integer, List<String>> ids = new HashMap<>();
        for (JsonNode result : answer.json().path("results")) {
            String value = result.path("properties").path(config.idProperty()).asText("");
            Integer index = exact.containsKey(value) ? exact.get(value) : folded.get(value.toLowerCase(Locale.ROOT));
            if (index != null && result.hasNonNull("id")) {
                ids.computeIfAbsent(index, i -> new ArrayList<>()).add(result.path("id").asText());
            }
        }
        List<RecordOutcome> failed = new ArrayList<>();
        for (JsonNode error : answer.json().path("errors")) {
            String category = error.path("category").asText("error");
            if (category.equals("OBJECT_NOT_FOUND")) {
                continue;
            }
            List<Integer> named = new ArrayList<>();
            error.path("context").forEach(values -> values.forEach(id -> {
                Integer index = exact.get(id.asText());
                if (index != null) {
                    named.add(index);
                }
            }));
            if (named.isEmpty()) {
                throw new DestinationException(Category.PERMANENT_RECORD, "HTTP " + answer.status() + " " + category,
                        describe() + " refused part of a lookup without naming the record: "
                                + error.path("message").asText(answer.bodyExcerpt()), null);
            }
            for (int index : named) {
                ids.remove(index);
                failed.add(RecordOutcome.failed(index, "HTTP " + answer.status() + " " + category,
                        "lookup before delete: " + error.path("message").asText(error.toString())));
            }
        }
        return new Found(ids, failed);
    }

    @Override
    public HttpCall deleteRequest(List<String> ids) {
        ObjectNode body = RecordJson.MAPPER.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        return HttpCall.withBody("POST", objects("/batch/archive"), RecordJson.bytes(body));
    }

    /** HubSpot answers 204 with no body: every id was archived (an id already archived is no error). */
    @Override
    public List<RecordOutcome> deleteOutcomes(List<String> ids, HttpAnswer answer) {
        return List.of();
    }

    /** Reads one record: proves the token is accepted and has the object's read scope. Writes nothing. */
    @Override
    public HttpCall checkRequest() {
        return HttpCall.get(objects("?limit=1"));
    }

    @Override
    public void checkLayout(ChangeLayout layout) {
        SingleKey.of(layout, describe(), config.idProperty());
        FieldNames.check(config.rename(), layout, layout.columns(), Optional.of(config.idProperty()), describe());
    }

    @Override
    public String describe() {
        return "hubspot " + config.objectType() + " by " + config.idProperty() + " at " + config.baseUrl();
    }

    private URI objects(String suffix) {
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/crm/v3/objects/" + config.objectType() + suffix);
    }
}

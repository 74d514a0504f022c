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
import io.backflow.load.http.HttpAnswer;
import io.backflow.load.http.HttpApi;
import io.backflow.load.http.HttpCall;
import io.backflow.load.http.RecordJson;
import io.backflow.load.http.SingleKey;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HubSpot's CRM v3 batch upsert: {@code POST /crm/v3/objects/{objectType}/batch/upsert} with
 * {@code {"inputs": [{"idProperty": …, "id": <key>, "properties": {…}}]}}, every property value as text
 * (HubSpot's own representation; an empty string clears a property). HubSpot answers 200 when all records
 * were applied, 207 (multi-status) with an {@code errors} array naming the failed inputs' ids in each
 * error's {@code context}, and 400 when it refuses the batch as a whole (then the batch is split).
 */
public final class HubSpotApi implements HttpApi {

    private static final long serialVersionUID = 1L;

    private final HubSpotConfig config;

    public HubSpotApi(HubSpotConfig config) {
        this.config = config;
    }

    @Override
    public HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout) {
        if (operation == Operation.DELETE) {
            throw new IllegalStateException("hubspot cannot delete; the config check allows no mode that deletes");
        }
        String key = SingleKey.of(layout, describe(), config.idProperty());
        ArrayNode inputs = RecordJson.MAPPER.createArrayNode();
        for (Change change : batch) {
            ObjectNode properties = RecordJson.MAPPER.createObjectNode();
            for (String column : layout.columns()) {
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

    /** Reads one record: proves the token is accepted and has the object's read scope. Writes nothing. */
    @Override
    public HttpCall checkRequest() {
        return HttpCall.get(objects("?limit=1"));
    }

    @Override
    public void checkLayout(ChangeLayout layout) {
        SingleKey.of(layout, describe(), config.idProperty());
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

package io.backflow.load.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.config.HttpConfig;
import io.backflow.config.Secret;
import io.backflow.diff.Operation;
import io.backflow.load.Change;
import io.backflow.load.ChangeLayout;
import io.backflow.load.RecordOutcome;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * A generic JSON batch API, shaped by {@link HttpConfig}: each record is an object of its key and synced
 * columns (renamed), the batch a bare array or an array under {@code body_field}; deletes send keys only to
 * their own URL. An insert holds every synced column; an update the ones {@link ChangeLayout#columnsToSend}
 * names (with {@code update_fields: changed}, only those whose value changed), so records of one batch may
 * have different fields and the endpoint must leave the fields a record omits as they are. Per-record
 * results, when configured, are an array in the answer aligned with the request's records, an element with
 * a non-null error field meaning that record was refused.
 */
public final class GenericJsonApi implements HttpApi {

    private static final long serialVersionUID = 1L;

    // The config's parts, not the config: its Optionals are not serializable.
    private final URI url;
    private final String method;
    private final String bodyField;
    private final Map<String, String> rename;
    private final HttpConfig.Delete delete;
    private final HttpConfig.Results results;
    private final URI checkUrl;

    public GenericJsonApi(HttpConfig config) {
        this.url = config.url();
        this.method = config.method();
        this.bodyField = config.bodyField().orElse(null);
        this.rename = Map.copyOf(config.rename());
        this.delete = config.delete().orElse(null);
        this.results = config.results().orElse(null);
        this.checkUrl = config.checkUrl().orElse(config.url());
    }

    @Override
    public HttpCall request(Operation operation, List<Change> batch, ChangeLayout layout) {
        boolean isDelete = operation == Operation.DELETE;
        ArrayNode records = RecordJson.MAPPER.createArrayNode();
        for (Change change : batch) {
            // Per record: updates of one batch may have changed different columns.
            List<String> columns = isDelete ? layout.key() : layout.keyAndColumnsToSend(change.row());
            records.add(RecordJson.fields(layout, change.row(), columns, rename));
        }
        JsonNode body = records;
        if (bodyField != null) {
            ObjectNode wrapper = RecordJson.MAPPER.createObjectNode();
            wrapper.set(bodyField, records);
            body = wrapper;
        }
        if (isDelete) {
            if (delete == null) {
                throw new IllegalStateException("a delete reached an http destination without a delete endpoint; "
                        + "the config check forbids that");
            }
            return HttpCall.withBody(delete.method(), delete.url(), RecordJson.bytes(body));
        }
        return HttpCall.withBody(method, url, RecordJson.bytes(body));
    }

    @Override
    public List<RecordOutcome> outcomes(Operation operation, List<Change> batch, ChangeLayout layout,
            HttpAnswer answer) {
        if (results == null) {
            if (answer.status() == 207) {
                // Multi-status names the failed records in a shape only destination.results can describe; without
                // it, counting the batch delivered could lose records. Split, so each record gets its own answer.
                throw new io.backflow.load.DestinationException(Category.PERMANENT_RECORD, "HTTP 207",
                        describe() + " answered 207 (multi-status) and destination.results is not set, so which "
                        + "records failed is unknown: " + answer.bodyExcerpt(), null);
            }
            return List.of();
        }
        JsonNode elements = answer.json().path(results.field());
        if (!elements.isArray() || elements.size() != batch.size()) {
            // Without one result per record nothing can be said per record: fail the batch, keep the answer.
            throw new io.backflow.load.DestinationException(Category.TRANSIENT_DESTINATION, "HTTP " + answer.status(),
                    describe() + " answered " + answer.status() + " without " + batch.size() + " results in '"
                    + results.field() + "': " + answer.bodyExcerpt(), null);
        }
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            JsonNode error = elements.get(i).path(results.errorField());
            if (error.isMissingNode() || error.isNull() || (error.isBoolean() && !error.asBoolean())) {
                continue;
            }
            String code = error.path("code").asText("");
            String message = error.isValueNode() ? error.asText() : error.path("message").asText(error.toString());
            outcomes.add(RecordOutcome.failed(i, "HTTP " + answer.status() + (code.isEmpty() ? "" : " " + code),
                    message));
        }
        return outcomes;
    }

    @Override
    public HttpCall checkRequest() {
        return HttpCall.get(checkUrl);
    }

    /** Every renamed column must be a key or synced column, or the rename is a typo. */
    @Override
    public void checkLayout(ChangeLayout layout) {
        FieldNames.check(rename, layout, layout.keyAndColumns(), Optional.empty(), describe());
    }

    @Override
    public String describe() {
        return "http API " + method + " " + Secret.maskUrl(url);
    }
}

package io.backflow.load.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backflow.load.ChangeLayout;
import io.backflow.load.postgres.JsonValues;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/**
 * Plan rows as JSON for API bodies: each column's value in {@link JsonValues}' form (numbers as numbers,
 * decimals exact, dates and timestamps as ISO-8601 text, nested values as JSON), under the API's field
 * name ({@code rename}, else the column name). Thread-safe.
 */
public final class RecordJson {

    /** Keeps a decimal's scale ({@code 10.50} stays {@code 10.50}); Jackson's default node factory strips it. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private RecordJson() {
    }

    /** The named columns of {@code row} as one JSON object, renamed; nulls are written as JSON null. */
    public static ObjectNode fields(ChangeLayout layout, Row row, List<String> columns, Map<String, String> rename) {
        ObjectNode object = MAPPER.createObjectNode();
        for (String column : columns) {
            object.set(rename.getOrDefault(column, column), value(layout, row, column));
        }
        return object;
    }

    /** One column's value as JSON. */
    public static JsonNode value(ChangeLayout layout, Row row, String column) {
        return MAPPER.valueToTree(JsonValues.plain(layout.field(column).dataType(), layout.value(row, column)));
    }

    /** One column's value as text (APIs that take every property as a string); null as empty text. */
    public static String text(ChangeLayout layout, Row row, String column) {
        JsonNode value = value(layout, row, column);
        return value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }

    public static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a request body as JSON", e);
        }
    }
}

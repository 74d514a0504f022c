package io.backflow.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Spark rows as JSON Lines: one object per row, a field per column in the row's order. Timestamps are
 * UTC ISO-8601 instants (the JVM's time zone must not change what a tool reads), maps are objects,
 * arrays are arrays, structs are objects, decimals keep every digit, binary is Base64, nulls are
 * written as {@code null} rather than left out, so every line has every column.
 */
final class JsonRows {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final JsonNodeFactory NODES = JSON.getNodeFactory();

    private JsonRows() {
    }

    /** The row as one line of JSON (no line break inside, none at the end). */
    static String line(Row row) {
        try {
            return JSON.writeValueAsString(object(row));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot write a row as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A timestamp as printed everywhere in the CLI: UTC, ISO-8601, to the second. */
    static String secondsUtc(Timestamp timestamp) {
        return DateTimeFormatter.ISO_INSTANT.format(timestamp.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static ObjectNode object(Row row) {
        ObjectNode object = NODES.objectNode();
        StructField[] fields = row.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            object.set(fields[i].name(), value(row.get(i)));
        }
        return object;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof String text) {
            return NODES.textNode(text);
        } else if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).intValue());
        } else if (value instanceof Double number) {
            return NODES.numberNode(number);
        } else if (value instanceof Float number) {
            return NODES.numberNode(number);
        } else if (value instanceof BigDecimal number) {
            return NODES.numberNode(number);
        } else if (value instanceof Timestamp timestamp) {
            return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(timestamp.toInstant()));
        } else if (value instanceof Instant instant) {
            return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(instant));
        } else if (value instanceof byte[] bytes) {
            return NODES.binaryNode(bytes);
        } else if (value instanceof Row struct) {
            return object(struct);
        } else if (value instanceof scala.collection.Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            scala.collection.JavaConverters.mapAsJavaMap(map)
                    .forEach((key, entry) -> object.set(String.valueOf(key), value(entry)));
            return object;
        } else if (value instanceof scala.collection.Seq<?> seq) {
            ArrayNode array = NODES.arrayNode();
            scala.collection.JavaConverters.seqAsJavaList(seq).forEach(element -> array.add(value(element)));
            return array;
        }
        // java.sql.Date, LocalDate and LocalDateTime print as ISO-8601 already.
        return NODES.textNode(value.toString());
    }
}

package io.backflow.load.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark array, map and struct values as JSON for {@code jsonb} columns: arrays as JSON arrays, structs as
 * objects keyed by field name (in field order), maps as objects keyed by the key's text. Scalars inside
 * follow Spark's {@code to_json}: numbers as numbers (decimals exactly, never in exponent form), dates,
 * timestamps ({@code 2024-02-29T13:45:00.000001Z}) and NaN/infinities as strings, binary as base64.
 * Thread-safe. Public because the HTTP destinations send values in the same JSON form.
 */
public final class JsonValues {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private JsonValues() {
    }

    /** The JSON text of a non-null array, map or struct value of this Spark type. */
    static String json(DataType type, Object value) {
        try {
            return MAPPER.writeValueAsString(toJava(type, value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write a " + type.simpleString() + " value as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * A Spark value of this type as plain Java lists, maps, strings, numbers and booleans that Jackson
     * writes directly, in the form described above; null stays null.
     */
    public static Object plain(DataType type, Object value) {
        return toJava(type, value);
    }

    private static Object toJava(DataType type, Object value) {
        if (value == null) {
            return null;
        } else if (type instanceof ArrayType array) {
            List<Object> elements = new ArrayList<>();
            for (Iterator<?> it = elements(value); it.hasNext(); ) {
                elements.add(toJava(array.elementType(), it.next()));
            }
            return elements;
        } else if (type instanceof MapType map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            entries(value).forEach((key, entryValue) ->
                    entries.put(keyText(map.keyType(), key), toJava(map.valueType(), entryValue)));
            return entries;
        } else if (type instanceof StructType struct) {
            Row row = PostgresTypes.expect(value, type, Row.class);
            Map<String, Object> fields = new LinkedHashMap<>();
            StructField[] structFields = struct.fields();
            for (int i = 0; i < structFields.length; i++) {
                fields.put(structFields[i].name(), toJava(structFields[i].dataType(), row.get(i)));
            }
            return fields;
        } else if (type instanceof DateType) {
            return DateTimeText.localDate(value).toString();
        } else if (type instanceof TimestampType) {
            return DateTimeText.instantOf(value).toString();
        } else if (type instanceof TimestampNTZType) {
            return PostgresTypes.expect(value, type, java.time.LocalDateTime.class).toString();
        } else if (type instanceof BinaryType) {
            return Base64.getEncoder().encodeToString(PostgresTypes.expect(value, type, byte[].class));
        } else if (value instanceof Decimal decimal) {
            return decimal.toJavaBigDecimal();
        } else if (value instanceof Double number && !Double.isFinite(number)) {
            return number.toString();
        } else if (value instanceof Float number && !Float.isFinite(number)) {
            return number.toString();
        }
        return value;
    }

    private static String keyText(DataType keyType, Object key) {
        Object java = toJava(keyType, key);
        if (java instanceof String text) {
            return text;
        } else if (java instanceof List || java instanceof Map) {
            return json(keyType, key);
        }
        return String.valueOf(java);
    }

    /** Array elements: Spark gives a Scala {@code Seq}; rows built by hand may hold a Java list or array. */
    private static Iterator<?> elements(Object value) {
        if (value instanceof scala.collection.Iterable<?> seq) {
            scala.collection.Iterator<?> scalaIterator = seq.iterator();
            return new Iterator<Object>() {
                @Override
                public boolean hasNext() {
                    return scalaIterator.hasNext();
                }

                @Override
                public Object next() {
                    return scalaIterator.next();
                }
            };
        } else if (value instanceof Iterable<?> iterable) {
            return iterable.iterator();
        } else if (value instanceof Object[] array) {
            return List.of(array).iterator();
        }
        throw new IllegalArgumentException("A Spark array value must be a scala.collection.Seq or java.util.List, got "
                + value.getClass().getName());
    }

    /** Map entries: Spark gives a Scala {@code Map}; rows built by hand may hold a Java map. */
    private static Map<?, ?> entries(Object value) {
        if (value instanceof scala.collection.Map<?, ?> scalaMap) {
            Map<Object, Object> entries = new LinkedHashMap<>();
            scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = scalaMap.iterator();
            while (it.hasNext()) {
                scala.Tuple2<?, ?> entry = it.next();
                entries.put(entry._1(), entry._2());
            }
            return entries;
        } else if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("A Spark map value must be a scala.collection.Map or java.util.Map, got "
                + value.getClass().getName());
    }
}

package io.backflow.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/** The key columns as a table property value: a JSON list, so any column name survives. */
final class KeyProperty {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyProperty() {
    }

    static String encode(List<String> key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }

    static List<String> decode(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Snapshot property " + SnapshotStore.KEY_PROPERTY + " is not a JSON list: "
                    + text, e);
        }
    }
}

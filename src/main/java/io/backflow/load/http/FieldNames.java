package io.backflow.load.http;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.load.ChangeLayout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before anything is sent, the API field names a record's columns are sent as after
 * {@code destination.rename}: every renamed column must be one the sync sends, and no two columns (nor a
 * column and the field the API matches records on) may land on the same field, since one value would
 * silently overwrite the other in the JSON body, or a record would be written under another record's key.
 */
public final class FieldNames {

    private FieldNames() {
    }

    /**
     * @param sent the columns sent as fields, in order
     * @param matchField the field the API matches records on, filled from the key (HubSpot's id property,
     *     Salesforce's external ID field), if it is not itself one of {@code sent}
     * @throws BackflowException {@code INVALID_CONFIG} naming the columns and the field
     */
    public static void check(Map<String, String> rename, ChangeLayout layout, List<String> sent, Optional<String> matchField,
            String destination) {
        List<String> unknown = rename.keySet().stream()
                .filter(column -> !layout.keyAndColumns().contains(column)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw invalid(destination, "destination.rename names " + unknown + ", not key or synced columns; the "
                    + "sync sends " + layout.keyAndColumns());
        }
        Map<String, String> columnOfField = new LinkedHashMap<>();
        matchField.ifPresent(field -> columnOfField.put(field, "the key"));
        for (String column : sent) {
            String field = rename.getOrDefault(column, column);
            String other = columnOfField.putIfAbsent(field, "column '" + column + "'");
            if (other != null) {
                throw invalid(destination, "column '" + column + "' and " + other + " would both be sent as field '"
                        + field + "'; change destination.rename so every field is written once");
            }
        }
    }

    private static BackflowException invalid(String destination, String problem) {
        return new BackflowException(Category.INVALID_CONFIG, "Cannot sync to " + destination + ": " + problem);
    }
}

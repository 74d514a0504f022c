package io.backflow.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * HubSpot CRM objects ({@code type: hubspot}), upserted through the CRM v3 batch upsert endpoint by a
 * unique property.
 *
 * @param baseUrl the API root, {@code https://api.hubapi.com} unless testing
 * @param objectType {@code contacts}, {@code companies}, {@code deals}, a custom object's type id …
 * @param idProperty the unique property the key column is matched on (e.g. {@code email})
 * @param token a private-app or OAuth access token
 * @param batchSize records per request; HubSpot allows at most 100
 * @param rename model column → HubSpot property name; unlisted columns keep their name
 * @param timeout the longest wait to connect and for an answer
 */
public record HubSpotConfig(
        URI baseUrl,
        String objectType,
        String idProperty,
        Secret token,
        int batchSize,
        Map<String, String> rename,
        Duration timeout) implements DestinationConfig {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.hubapi.com");
    public static final int MAX_BATCH_SIZE = 100;

    public HubSpotConfig {
        rename = Map.copyOf(rename);
    }

    @Override
    public String type() {
        return "hubspot";
    }

    /** Yes: a delete batch reads the records' HubSpot ids by the unique property, then archives them. */
    @Override
    public boolean canDelete() {
        return true;
    }
}

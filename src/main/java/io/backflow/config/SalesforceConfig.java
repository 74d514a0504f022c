package io.backflow.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Salesforce sObjects ({@code type: salesforce}), upserted by an external ID field through sObject
 * Collections.
 *
 * @param instanceUrl the org's URL, e.g. {@code https://acme.my.salesforce.com}
 * @param apiVersion the REST API version, e.g. {@code 60.0}
 * @param sObject the object, e.g. {@code Account} or {@code Customer__c}
 * @param externalIdField the external ID field the key column is matched on
 * @param token an OAuth access token
 * @param batchSize records per request; sObject Collections allow at most 200
 * @param rename model column → field API name; unlisted columns keep their name
 * @param timeout the longest wait to connect and for an answer
 */
public record SalesforceConfig(
        URI instanceUrl,
        String apiVersion,
        String sObject,
        String externalIdField,
        Secret token,
        int batchSize,
        Map<String, String> rename,
        Duration timeout) implements DestinationConfig {

    public static final String DEFAULT_API_VERSION = "60.0";
    public static final int MAX_BATCH_SIZE = 200;

    public SalesforceConfig {
        rename = Map.copyOf(rename);
    }

    @Override
    public String type() {
        return "salesforce";
    }

    /** Yes: a delete batch queries the records' Salesforce Ids by the external ID, then deletes them. */
    @Override
    public boolean canDelete() {
        return true;
    }
}

package io.backflow.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API and file destinations' config: defaults, limits, secrets and the problems reported. */
class DestinationConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("API_TOKEN", "tok-secret", "HUBSPOT_TOKEN", "pat-na1-secret"));

    private SyncConfig parse(String mode, String... destination) {
        String yaml = String.join("\n", "name: contacts", "source: {type: sql, query: 'SELECT 1 AS id'}",
                "key: [id]", "mode: " + mode, "state_path: /tmp/state", "destination:")
                + "\n" + String.join("\n", java.util.Arrays.stream(destination).map(line -> "  " + line).toList());
        return loader.parse(yaml, "inline");
    }

    @Test
    void parsesAnHttpDestinationWithItsDefaultsAndMasksHeaders() {
        HttpConfig http = (HttpConfig) parse("mirror", "type: http", "url: https://api.example.com/v1/batch",
                "headers: {Authorization: 'Bearer ${env:API_TOKEN}'}", "body_field: inputs", "rename: {id: Id}",
                "delete: {method: DELETE, url: 'https://api.example.com/v1/batch'}",
                "results: {field: results}").destination();

        assertThat(http.url()).isEqualTo(URI.create("https://api.example.com/v1/batch"));
        assertThat(http.method()).isEqualTo("POST");
        assertThat(http.batchSize()).isEqualTo(100);
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(http.headers().get("Authorization").value()).isEqualTo("Bearer tok-secret");
        assertThat(http.results()).contains(new HttpConfig.Results("results", "error"));
        assertThat(http.delete()).contains(new HttpConfig.Delete("DELETE", URI.create("https://api.example.com/v1/batch")));
        assertThat(http.toString()).doesNotContain("tok-secret").contains("Authorization=******");
    }

    @Test
    void refusesPlainHttpExceptToLocalhostAndMirrorWithoutADeleteEndpoint() {
        assertThatThrownBy(() -> parse("mirror", "type: http", "url: http://api.example.com/v1/batch", "methd: PUT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.url: 'http://api.example.com/v1/batch' is plain http; use https "
                        + "(plain http is allowed only to localhost)")
                .hasMessageContaining("destination.methd: unknown key")
                .hasMessageContaining("mode: 'mirror' needs a destination that can delete; destination type 'http' "
                        + "cannot: use upsert");
        assertThat(parse("upsert", "type: http", "url: http://127.0.0.1:8080/batch").destination().type())
                .isEqualTo("http");
    }

    @Test
    void recordsPerSecondBecomesRequestsPerSecondByTheBatchSize() {
        String yaml = String.join("\n", "name: contacts", "source: {type: sql, query: 'SELECT 1 AS id'}",
                "key: [id]", "state_path: /tmp/state", "rate_limit: {records_per_second: 2500}", "destination:",
                "  type: http", "  url: https://api.example.com/v1/batch", "  batch_size: 100");
        assertThat(loader.parse(yaml, "inline").rateLimit()).contains(new RateLimit(25));
        String both = yaml.replace("{records_per_second: 2500}", "{records_per_second: 2500, requests_per_second: 10}");
        assertThat(loader.parse(both, "inline").rateLimit()).contains(new RateLimit(10));
        assertThatThrownBy(() -> loader.parse(yaml.replace("{records_per_second: 2500}", "{}"), "inline"))
                .hasMessageContaining("rate_limit.requests_per_second: missing; requests per second across all "
                        + "writers, e.g. 20 (or records_per_second, for APIs that limit records)");
    }

    @Test
    void hubspotDefaultsToItsBatchLimitAndRefusesMore() {
        HubSpotConfig hubspot = (HubSpotConfig) parse("mirror", "type: hubspot", "object_type: contacts",
                "id_property: email", "token: ${env:HUBSPOT_TOKEN}").destination();

        assertThat(hubspot.baseUrl()).isEqualTo(URI.create("https://api.hubapi.com"));
        assertThat(hubspot.batchSize()).isEqualTo(100);
        assertThat(hubspot.canDelete()).isTrue();
        assertThat(hubspot.toString()).contains("token=******").doesNotContain("pat-na1-secret");
        assertThatThrownBy(() -> parse("upsert", "type: hubspot", "object_type: contacts", "id_property: email",
                "token: x", "batch_size: 101"))
                .hasMessageContaining("destination.batch_size: must be a whole number from 1 to 100, got '101'");
    }

    @Test
    void salesforceNeedsItsObjectAndExternalIdAndCanMirror() {
        assertThatThrownBy(() -> parse("mirror", "type: salesforce", "instance_url: https://acme.my.salesforce.com",
                "token: x", "api_version: latest"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.sobject: missing")
                .hasMessageContaining("destination.external_id_field: missing")
                .hasMessageContaining("destination.api_version: 'latest' is not a usable REST API version");
        SalesforceConfig salesforce = (SalesforceConfig) parse("mirror", "type: salesforce",
                "instance_url: https://acme.my.salesforce.com", "sobject: Contact", "external_id_field: Ext__c",
                "token: x").destination();
        assertThat(salesforce.batchSize()).isEqualTo(200);
        assertThat(salesforce.apiVersion()).isEqualTo("60.0");
        assertThat(salesforce.canDelete()).isTrue();
    }

    @Test
    void filesDefaultToParquetAndNameAllowedFormats() {
        FilesConfig files = (FilesConfig) parse("mirror", "type: files", "path: s3a://bucket/changes").destination();
        assertThat(files.format()).isEqualTo(FilesConfig.Format.PARQUET);
        assertThatThrownBy(() -> parse("mirror", "type: files", "path: /x", "format: csv"))
                .hasMessageContaining("destination.format: 'csv' is not a format; allowed: parquet, json");
    }

    @Test
    void masksAKeyInTheUrlAndRefusesNamesThatCannotGoIntoAPathOrQuery() {
        HttpConfig http = (HttpConfig) parse("upsert", "type: http",
                "url: 'https://user:pw@api.example.com/v1/batch?api_key=${env:API_TOKEN}'").destination();

        assertThat(http.toString()).doesNotContain("tok-secret").doesNotContain("pw@")
                .contains("https://******@api.example.com/v1/batch?******");
        assertThatThrownBy(() -> parse("upsert", "type: salesforce", "instance_url: https://x.my.salesforce.com",
                "sobject: 'Contact WHERE'", "external_id_field: Ext__c", "token: t", "api_version: '42.0'"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.sobject: 'Contact WHERE' is not a valid name")
                .hasMessageContaining("destination.api_version: '42.0' is not a usable REST API version");
        assertThatThrownBy(() -> parse("upsert", "type: hubspot", "object_type: contacts/../owners",
                "id_property: email", "token: t"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destination.object_type: 'contacts/../owners' is not a valid name");
    }
}

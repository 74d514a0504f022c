package io.backflow.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the {@code destination} mapping of the API and file destinations ({@code http}, {@code hubspot},
 * {@code salesforce}, {@code files}); {@link ConfigLoader} keeps the PostgreSQL one. Problems are reported
 * through the {@link ConfigNode}, all at once.
 */
final class DestinationParsers {

    static final int DEFAULT_TIMEOUT_MS = 30_000;
    /** Salesforce API names: letters, digits and underscores, starting with a letter. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** HubSpot object types: a name (contacts) or a custom object's type id (2-1234567). */
    private static final Pattern OBJECT_TYPE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private DestinationParsers() {
    }

    static HttpConfig http(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("type", "url", "method", "headers", "batch_size", "body_field", "rename",
                "delete", "results", "check_url", "timeout_ms"));
        URI url = url(node, "url", true).orElse(null);
        String method = method(node, "method");
        Map<String, Secret> headers = new LinkedHashMap<>();
        node.stringMap("headers").forEach((name, value) -> headers.put(name, new Secret(value)));
        Optional<HttpConfig.Delete> delete = node.child("delete").map(child -> {
            child.rejectUnknownKeys(Set.of("method", "url"));
            return new HttpConfig.Delete(method(child, "method"), url(child, "url", true).orElse(null));
        });
        Optional<HttpConfig.Results> results = node.child("results").map(child -> {
            child.rejectUnknownKeys(Set.of("field", "error_field"));
            return new HttpConfig.Results(child.requiredString("field", "the answer's field holding one result per "
                    + "record, e.g. results"), child.optionalString("error_field").orElse("error"));
        });
        return new HttpConfig(url, method, headers, node.integer("batch_size", HttpConfig.DEFAULT_BATCH_SIZE, 1, 100_000),
                node.optionalString("body_field"), node.stringMap("rename"), delete, results,
                url(node, "check_url", false), timeout(node));
    }

    static HubSpotConfig hubspot(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("type", "base_url", "object_type", "id_property", "token", "batch_size",
                "rename", "timeout_ms"));
        return new HubSpotConfig(
                url(node, "base_url", false).orElse(HubSpotConfig.DEFAULT_BASE_URL),
                identifier(node, "object_type", "the CRM object type, e.g. contacts, companies or a custom "
                        + "object's type id such as 2-1234567", OBJECT_TYPE),
                node.requiredString("id_property", "the unique property the key is matched on, e.g. email"),
                new Secret(node.requiredString("token", "a private-app token, e.g. ${env:HUBSPOT_TOKEN}")),
                node.integer("batch_size", HubSpotConfig.MAX_BATCH_SIZE, 1, HubSpotConfig.MAX_BATCH_SIZE),
                node.stringMap("rename"), timeout(node));
    }

    static SalesforceConfig salesforce(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("type", "instance_url", "api_version", "sobject", "external_id_field", "token",
                "batch_size", "rename", "timeout_ms"));
        URI instance = url(node, "instance_url", true).orElse(null);
        String version = node.optionalString("api_version").orElse(SalesforceConfig.DEFAULT_API_VERSION);
        if (!version.matches("\\d+\\.0") || Integer.parseInt(version.substring(0, version.indexOf('.'))) < 46) {
            node.problem("api_version", "'" + version + "' is not a usable REST API version; e.g. "
                    + SalesforceConfig.DEFAULT_API_VERSION + " (sObject Collections upsert needs 46.0 or later)");
        }
        return new SalesforceConfig(instance, version,
                identifier(node, "sobject", "the sObject, e.g. Account or Customer__c", API_NAME),
                identifier(node, "external_id_field", "the external ID field the key is matched on, "
                        + "e.g. Customer_Id__c", API_NAME),
                new Secret(node.requiredString("token", "an OAuth access token, e.g. ${env:SALESFORCE_TOKEN}")),
                node.integer("batch_size", SalesforceConfig.MAX_BATCH_SIZE, 1, SalesforceConfig.MAX_BATCH_SIZE),
                node.stringMap("rename"), timeout(node));
    }

    static FilesConfig files(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("type", "path", "format"));
        String path = node.requiredString("path", "where run folders are written, a local path or Hadoop URI "
                + "(s3a://bucket/changes)");
        String formatText = node.optionalString("format").orElse("parquet");
        FilesConfig.Format format = FilesConfig.Format.PARQUET;
        try {
            format = FilesConfig.Format.valueOf(formatText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            node.problem("format", "'" + formatText + "' is not a format; allowed: parquet, json");
        }
        return new FilesConfig(path, format);
    }

    private static Duration timeout(ConfigNode node) {
        return Duration.ofMillis(node.integer("timeout_ms", DEFAULT_TIMEOUT_MS, 100, 3_600_000));
    }

    private static String method(ConfigNode node, String key) {
        String method = node.optionalString(key).orElse("POST").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            node.problem(key, "'" + method + "' is not allowed; use one of " + new java.util.TreeSet<>(METHODS));
        }
        return method;
    }

    /**
     * An absolute http(s) URL. Plain http only to a loopback host: API tokens must not cross a network in
     * clear text, but tests and local proxies listen on localhost.
     */
    private static Optional<URI> url(ConfigNode node, String key, boolean required) {
        Optional<String> text = required
                ? Optional.of(node.requiredString(key, "an https:// URL")).filter(value -> !value.isEmpty())
                : node.optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                node.problem(key, "'" + Secret.maskUrl(uri) + "' is not an absolute https:// URL");
            } else if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                node.problem(key, "'" + Secret.maskUrl(uri) + "' is plain http; use https (plain http is allowed "
                        + "only to localhost)");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            // Not echoed: the text may hold a resolved secret.
            node.problem(key, "is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
            return Optional.empty();
        }
    }

    /** A name that goes into a URL path or a SOQL query as it is, so it must be a plain identifier. */
    private static String identifier(ConfigNode node, String key, String expected, Pattern allowed) {
        String value = node.requiredString(key, expected);
        if (value != null && !value.isEmpty() && !allowed.matcher(value).matches()) {
            node.problem(key, "'" + value + "' is not a valid name; expected " + expected);
        }
        return value;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }
}

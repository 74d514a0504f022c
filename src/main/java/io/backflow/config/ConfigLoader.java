package io.backflow.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a sync's YAML config into a validated {@link SyncConfig}. Every problem is collected and
 * reported at once in a {@link ConfigException}; unknown keys are rejected.
 */
public final class ConfigLoader {

    private static final Pattern SYNC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "source", "key", "columns", "mode",
            "state_path", "writers", "rate_limit", "guards", "retry", "lock_timeout_minutes", "update_fields",
            "destination");

    private static final String DESTINATION_TYPES = "postgres, http, hubspot, salesforce, files";

    private final SecretResolver secrets;

    /** A loader resolving {@code ${env:…}} from the process environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** A loader resolving {@code ${env:…}} from the given environment (tests). */
    public ConfigLoader(Map<String, String> environment) {
        this.secrets = new SecretResolver(environment, true);
    }

    private ConfigLoader(SecretResolver secrets) {
        this.secrets = secrets;
    }

    /**
     * A loader for commands that read only the sync's state ({@code history}, {@code failures}, {@code reset}):
     * a secret that cannot be resolved (an unset environment variable, an unreadable file) is left empty instead
     * of failing, so someone on call can read the state without the destination's credentials.
     */
    public static ConfigLoader forStateOnly(Map<String, String> environment) {
        return new ConfigLoader(new SecretResolver(environment, false));
    }

    public SyncConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("'" + file + "'", "cannot read the file (" + e + ")", e);
        }
        return parse(yaml, "'" + file + "'");
    }

    /** Parses YAML text; {@code origin} names it in messages (a file path, "inline"). */
    public SyncConfig parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin, "not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(origin, List.of("the file must be a YAML mapping with at least "
                    + "name, source, key, state_path and destination"));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode("", root, problems, secrets);
        top.rejectUnknownKeys(TOP_LEVEL_KEYS);

        String name = top.requiredString("name", "the sync's name, e.g. customers_ltv");
        if (!name.isEmpty() && !SYNC_NAME.matcher(name).matches()) {
            top.problem("name", "'" + name + "' is not allowed; use letters, digits, '_', '-' and '.'");
        }
        SourceConfig source = top.child("source").map(ConfigLoader::source).orElse(null);
        if (source == null && !top.has("source")) {
            top.problem("source", "missing; a mapping with type table, sql or snowflake");
        }
        List<String> key = top.stringList("key").orElse(List.of());
        if (key.isEmpty()) {
            top.problem("key", "missing; one or more key columns, e.g. [customer_id]");
        }
        if (new HashSet<>(key).size() < key.size()) {
            top.problem("key", "lists a column twice: " + key);
        }
        Optional<List<String>> columns = top.stringList("columns");
        columns.ifPresent(list -> checkColumns(top, key, list));
        SyncMode mode = mode(top);
        String statePath = top.requiredString("state_path", "where the sync's state is kept, e.g. /var/lib/backflow");
        int writers = top.integer("writers", SyncConfig.DEFAULT_WRITERS, 1, 10_000);
        Optional<RateSpec> rateSpec = top.child("rate_limit").map(ConfigLoader::rateLimit);
        Guards guards = top.child("guards").map(ConfigLoader::guards).orElse(Guards.defaults());
        RetryPolicy retry = top.child("retry").map(ConfigLoader::retry).orElse(RetryPolicy.defaults());
        int lockTimeoutMinutes = top.integer("lock_timeout_minutes", SyncConfig.DEFAULT_LOCK_TIMEOUT_MINUTES, 1,
                100_000);
        Optional<UpdateFields> updateFields = updateFields(top);
        DestinationConfig destination = top.child("destination").map(ConfigLoader::destination).orElse(null);
        if (destination == null && !top.has("destination")) {
            top.problem("destination", "missing; a mapping with type " + DESTINATION_TYPES);
        }
        if (mode == SyncMode.MIRROR && destination != null && !destination.canDelete()) {
            top.problem("mode", "'mirror' needs a destination that can delete; destination type '"
                    + destination.type() + "' cannot: use upsert");
        }
        if (!problems.isEmpty() || source == null || destination == null) {
            throw new ConfigException(origin, problems);
        }
        Optional<RateLimit> rateLimit = rateSpec.map(spec -> spec.requestLimit(destination));
        return new SyncConfig(name, source, key, columns, mode, statePath, writers, rateLimit, guards, retry,
                Duration.ofMinutes(lockTimeoutMinutes), updateFields.orElse(UpdateFields.defaultFor(destination.type())),
                destination);
    }

    private static void checkColumns(ConfigNode top, List<String> key, List<String> columns) {
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (key.contains(column)) {
                top.problem("columns", "'" + column + "' is a key column; list only the non-key columns to sync");
            }
            if (!seen.add(column)) {
                top.problem("columns", "'" + column + "' is listed twice");
            }
        }
        if (columns.isEmpty()) {
            top.problem("columns", "is empty; leave it out to sync every non-key column");
        }
    }

    private static SyncMode mode(ConfigNode top) {
        String text = top.optionalString("mode").orElse("upsert");
        try {
            return SyncMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            top.problem("mode", "'" + text + "' is not a mode; allowed: upsert, update, insert, mirror");
            return SyncMode.UPSERT;
        }
    }

    private static Optional<UpdateFields> updateFields(ConfigNode top) {
        Optional<String> text = top.optionalString("update_fields");
        try {
            return text.map(value -> UpdateFields.valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            top.problem("update_fields", "'" + text.get() + "' is not allowed; use changed (send an update's "
                    + "changed columns only) or all (send every synced column)");
            return Optional.empty();
        }
    }

    private static SourceConfig source(ConfigNode node) {
        String type = node.requiredString("type", "one of table, sql, snowflake");
        switch (type) {
            case "table" -> {
                node.rejectUnknownKeys(Set.of("type", "format", "path", "table", "options"));
                Optional<String> path = node.optionalString("path");
                Optional<String> table = node.optionalString("table");
                Optional<String> format = node.optionalString("format");
                if (path.isPresent() == table.isPresent()) {
                    node.problem("path", "give exactly one of 'path' (with 'format') or 'table' (a catalog table)");
                }
                if (path.isPresent() && format.isEmpty()) {
                    node.problem("format", "missing; the Spark format of the path: delta, parquet, csv, json, orc …");
                }
                return new SourceConfig.Table(format, path, table, node.stringMap("options"));
            }
            case "sql" -> {
                node.rejectUnknownKeys(Set.of("type", "query"));
                return new SourceConfig.Sql(node.requiredString("query", "a Spark SQL query"));
            }
            case "snowflake" -> {
                node.rejectUnknownKeys(Set.of("type", "options", "query", "table"));
                Map<String, String> options = node.stringMap("options");
                for (String required : List.of("sfURL", "sfUser")) {
                    if (!options.containsKey(required)) {
                        node.problem("options." + required, "missing; the Snowflake connector needs it");
                    }
                }
                Optional<String> query = node.optionalString("query");
                Optional<String> table = node.optionalString("table");
                if (query.isPresent() == table.isPresent()) {
                    node.problem("query", "give exactly one of 'query' or 'table'");
                }
                return new SourceConfig.Snowflake(options, query, table);
            }
            case "" -> {
                return null;
            }
            default -> {
                node.problem("type", "'" + type + "' is not a source type; allowed: table, sql, snowflake");
                return null;
            }
        }
    }

    /** What {@code rate_limit} says, before the destination's batch size turns records into requests. */
    private record RateSpec(Optional<Double> requestsPerSecond, Optional<Double> recordsPerSecond) {

        /**
         * One request limit: {@code records_per_second} becomes records ÷ batch size requests per second. A
         * batch never holds more than the batch size, so the records sent per second stay within the limit
         * (below it when batches are short).
         */
        RateLimit requestLimit(DestinationConfig destination) {
            double requests = requestsPerSecond.orElse(Double.MAX_VALUE);
            if (recordsPerSecond.isPresent()) {
                requests = Math.min(requests, recordsPerSecond.get() / destination.batchSize());
            }
            return new RateLimit(requests);
        }
    }

    private static RateSpec rateLimit(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("requests_per_second", "records_per_second"));
        if (!node.has("requests_per_second") && !node.has("records_per_second")) {
            node.problem("requests_per_second", "missing; requests per second across all writers, e.g. 20 "
                    + "(or records_per_second, for APIs that limit records)");
        }
        Optional<Double> requests = node.has("requests_per_second")
                ? Optional.of(node.number("requests_per_second", 1, 0.001, 1_000_000)) : Optional.empty();
        Optional<Double> records = node.has("records_per_second")
                ? Optional.of(node.number("records_per_second", 1, 0.001, 1_000_000_000)) : Optional.empty();
        return new RateSpec(requests, records);
    }

    private static Guards guards(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("max_delete_fraction", "max_change_fraction"));
        return new Guards(
                node.number("max_delete_fraction", Guards.DEFAULT_MAX_DELETE_FRACTION, 0, 1),
                node.number("max_change_fraction", Guards.DEFAULT_MAX_CHANGE_FRACTION, 0, 1_000_000));
    }

    private static RetryPolicy retry(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("max_attempts", "initial_backoff_ms", "max_backoff_ms"));
        RetryPolicy defaults = RetryPolicy.defaults();
        return new RetryPolicy(
                node.integer("max_attempts", defaults.maxAttempts(), 1, 100),
                Duration.ofMillis(node.integer("initial_backoff_ms", (int) defaults.initialBackoff().toMillis(), 0,
                        3_600_000)),
                Duration.ofMillis(node.integer("max_backoff_ms", (int) defaults.maxBackoff().toMillis(), 0,
                        3_600_000)));
    }

    private static DestinationConfig destination(ConfigNode node) {
        String type = node.requiredString("type", "one of: " + DESTINATION_TYPES);
        return switch (type) {
            case "postgres" -> postgres(node);
            case "http" -> DestinationParsers.http(node);
            case "hubspot" -> DestinationParsers.hubspot(node);
            case "salesforce" -> DestinationParsers.salesforce(node);
            case "files" -> DestinationParsers.files(node);
            case "" -> null;
            default -> {
                node.problem("type", "'" + type + "' is not a destination type; allowed: " + DESTINATION_TYPES);
                yield null;
            }
        };
    }

    private static PostgresConfig postgres(ConfigNode node) {
        node.rejectUnknownKeys(Set.of("type", "url", "user", "password", "schema", "table", "batch_size",
                "create_table"));
        String url = node.requiredString("url", "a JDBC URL, e.g. jdbc:postgresql://db:5432/app");
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            node.problem("url", "must start with jdbc:postgresql:, got '" + PostgresConfig.maskUrl(url) + "'");
        }
        String user = node.requiredString("user", "the database user");
        Optional<Secret> password = node.optionalString("password").map(Secret::new);
        String table = node.requiredString("table", "the destination table, e.g. public.customers");
        Optional<String> schema = node.optionalString("schema");
        // "public.customers" is the common spelling; a name that itself holds a dot needs 'schema'.
        int dot = table.indexOf('.');
        if (schema.isEmpty() && dot > 0) {
            schema = Optional.of(table.substring(0, dot));
            table = table.substring(dot + 1);
        }
        return new PostgresConfig(url, user, password, schema, table,
                node.integer("batch_size", PostgresConfig.DEFAULT_BATCH_SIZE, 1, 1_000_000),
                node.bool("create_table", false));
    }
}

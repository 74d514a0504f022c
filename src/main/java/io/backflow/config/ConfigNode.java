package io.backflow.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A YAML mapping being read: typed getters that report problems with the full key path instead of
 * throwing, so one pass finds every problem. Secret references in strings are resolved here.
 */
final class ConfigNode {

    private final String path;
    private final JsonNode node;
    private final List<String> problems;
    private final SecretResolver secrets;

    ConfigNode(String path, JsonNode node, List<String> problems, SecretResolver secrets) {
        this.path = path;
        this.node = node;
        this.problems = problems;
        this.secrets = secrets;
    }

    String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(keyPath(key) + ": " + message);
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    /** Reports keys not in {@code allowed}, so a typo never passes silently. */
    void rejectUnknownKeys(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problem(name, "unknown key; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    Optional<String> optionalString(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!value.isValueNode()) {
            problem(key, "must be a text value, got " + describe(value));
            return Optional.empty();
        }
        return Optional.of(resolve(key, value.asText()));
    }

    String requiredString(String key, String whatIsAllowed) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty() || value.get().isBlank()) {
            if (!has(key) || value.isPresent()) {
                problem(key, "missing; " + whatIsAllowed);
            }
            return "";
        }
        return value.get();
    }

    int integer(String key, int defaultValue, int min, int max) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            problem(key, "must be a whole number from " + min + " to " + max + ", got " + describe(value));
            return defaultValue;
        }
        return value.asInt();
    }

    double number(String key, double defaultValue, double min, double max) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            problem(key, "must be a number from " + min + " to " + max + ", got " + describe(value));
            return defaultValue;
        }
        return value.asDouble();
    }

    boolean bool(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            problem(key, "must be true or false, got " + describe(value));
            return defaultValue;
        }
        return value.asBoolean();
    }

    /** A list of non-blank strings; a single string is accepted as a one-element list. */
    Optional<List<String>> stringList(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        List<String> items = new ArrayList<>();
        if (value.isTextual()) {
            items.add(value.asText());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.asText().isBlank()) {
                    problem(key, "must list non-empty column names, got " + describe(item));
                    return Optional.empty();
                }
                items.add(item.asText());
            }
        } else {
            problem(key, "must be a list of column names, got " + describe(value));
            return Optional.empty();
        }
        return Optional.of(items);
    }

    /** A mapping of text values (reader or connector options); secrets resolved. */
    Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        if (!has(key)) {
            return result;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            problem(key, "must be a mapping of option names to values, got " + describe(value));
            return result;
        }
        value.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode()) {
                problem(key + "." + entry.getKey(), "must be a text or number, got " + describe(entry.getValue()));
            } else {
                result.put(entry.getKey(), resolve(key + "." + entry.getKey(), entry.getValue().asText()));
            }
        });
        return result;
    }

    /** A nested mapping; reports a problem and returns empty if present but not a mapping. */
    Optional<ConfigNode> child(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            problem(key, "must be a mapping, got " + describe(value));
            return Optional.empty();
        }
        return Optional.of(new ConfigNode(keyPath(key), value, problems, secrets));
    }

    private String resolve(String key, String text) {
        Consumer<String> report = message -> problem(key, message);
        return secrets.resolve(text, report);
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return "'" + value.asText() + "'";
    }
}

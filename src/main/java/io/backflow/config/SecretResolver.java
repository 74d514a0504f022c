package io.backflow.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/path}} references inside config strings, so secrets
 * never have to be written into a config file. A file's content is used without its trailing newline.
 */
final class SecretResolver {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");

    private final Map<String, String> environment;
    private final boolean reportsMissing;

    /**
     * @param reportsMissing whether a secret that cannot be resolved is a problem; commands that only read the
     *     sync's state (history, failures, reset) never use one, so they pass false and run without credentials
     */
    SecretResolver(Map<String, String> environment, boolean reportsMissing) {
        this.environment = Map.copyOf(environment);
        this.reportsMissing = reportsMissing;
    }

    /** True if the text refers to a secret. */
    static boolean hasReference(String text) {
        return REFERENCE.matcher(text).find();
    }

    /**
     * Replaces every reference in {@code text}. A reference that cannot be resolved is reported to
     * {@code problems} and replaced by an empty string.
     */
    String resolve(String text, Consumer<String> reported) {
        Consumer<String> problems = reportsMissing ? reported : ignored -> { };
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "env" -> environmentVariable(matcher.group(2), problems);
                case "file" -> fileContent(matcher.group(2), problems);
                default -> throw new IllegalStateException("pattern allows only env and file");
            };
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private String environmentVariable(String name, Consumer<String> problems) {
        String value = environment.get(name);
        if (value == null) {
            problems.accept("environment variable '" + name + "' is not set (referenced as ${env:" + name + "})");
            return "";
        }
        return value;
    }

    private static String fileContent(String path, Consumer<String> problems) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            problems.accept("cannot read secret file '" + path + "' (" + e.getClass().getSimpleName() + ")");
            return "";
        }
    }
}

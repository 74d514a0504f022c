package io.backflow.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every example in conf/ is a valid config (secrets supplied as a user would). */
class ExampleConfigsTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("APP_DB_PASSWORD", "x",
            "SNOWFLAKE_PASSWORD", "y", "SCORES_API_TOKEN", "t", "HUBSPOT_TOKEN", "h", "SALESFORCE_TOKEN", "s");

    @Test
    void everyExampleConfigParses() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("conf"))) {
            examples = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (Path example : examples) {
            // ${file:…} secrets point at paths of the user's machine; swap in an env reference to parse.
            String yaml = Files.readString(example).replaceAll("\\$\\{file:[^}]*}", "\\${env:APP_DB_PASSWORD}");
            SyncConfig config = new ConfigLoader(ENVIRONMENT).parse(yaml, example.toString());
            assertThat(config.name()).as(example.toString()).isNotBlank();
        }
    }
}

package io.backflow.cli;

import io.backflow.BackflowException;
import io.backflow.config.ConfigException;
import io.backflow.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFilesTest {

    private static final String YAML = String.join("\n", "name: s", "source: {type: sql, query: 'SELECT 1 AS id'}",
            "key: [id]", "state_path: /tmp/s",
            "destination: {type: postgres, url: 'jdbc:postgresql://h/db', user: u, table: t}");

    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @Test
    void readsLocalPathsWithCharactersAUriWouldReject(@TempDir Path directory) throws IOException {
        Path config = Files.writeString(directory.resolve("my sync [v2] 100%.yaml"), YAML);

        assertThat(ConfigFiles.load(loader, config.toString()).name()).isEqualTo("s");
        assertThat(ConfigFiles.load(loader, "file:" + config).name()).isEqualTo("s");
    }

    @Test
    void readsUrisThroughHadoopAndNamesAnUnknownFileSystem() {
        assertThatThrownBy(() -> ConfigFiles.load(loader, "nosuchfs://bucket/conf/sync.yaml"))
                .isInstanceOf(BackflowException.class)
                .hasMessageStartingWith("Invalid sync config 'nosuchfs://bucket/conf/sync.yaml': cannot read the file")
                .hasMessageContaining("No FileSystem for scheme");
    }

    @Test
    void namesAMissingFileAsABadConfig(@TempDir Path directory) {
        assertThatThrownBy(() -> ConfigFiles.load(loader, directory.resolve("nope.yaml").toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml").hasMessageContaining("cannot read the file");
    }
}

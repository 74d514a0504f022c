package io.backflow.load;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The load's start mark, on the local file system through Hadoop, as on any store. */
class LoadProgressTest {

    @TempDir
    Path directory;

    private LoadProgress progress() {
        return new LoadProgress(directory.resolve("progress").resolve("run-1").toUri().toString(), new Configuration());
    }

    @Test
    void aLoadThatNeverStartedHasNoMark() {
        assertThat(progress().started()).isEmpty();
    }

    @Test
    void theStartMarkKeepsWhatItRecordedEvenOddText() {
        Map<String, String> facts = Map.of("load_settings", "writers=4 batch_size=5000 destination=\"a\\b\"",
                "model_fingerprint", "1000:ffee");

        progress().markStarted(facts);

        assertThat(progress().started()).contains(facts);
    }

    @Test
    void aMarkCutShortByACrashStillCountsAsStartedWithNothingKnown() throws Exception {
        progress().markStarted(Map.of("load_settings", "writers=4"));
        Path marker = directory.resolve("progress").resolve("run-1").resolve("_started.json");
        Files.writeString(marker, "{\"load_sett");
        Files.deleteIfExists(marker.resolveSibling("._started.json.crc"));

        assertThat(progress().started()).contains(Map.of());
    }
}

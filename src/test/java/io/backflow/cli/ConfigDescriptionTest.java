package io.backflow.cli;

import io.backflow.config.ConfigLoader;
import io.backflow.config.SyncConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDescriptionTest {

    @Test
    void theConfigIsOneReadableLineWithoutSecrets() {
        SyncConfig config = new ConfigLoader(Map.of("PW", "hunter2-never-print-me")).parse(String.join("\n",
                "name: scores",
                "source: {type: table, format: parquet, path: /data/scores}",
                "key: [id]",
                "mode: mirror",
                "state_path: /var/lib/backflow",
                "rate_limit: {requests_per_second: 20}",
                "destination: {type: postgres, url: 'jdbc:postgresql://db:5432/app?password=hunter2-never-print-me',",
                "  user: app, password: '${env:PW}', table: public.scores}"), "inline");

        String line = ConfigDescription.of(config);

        assertThat(line).startsWith("Sync 'scores': parquet at /data/scores -> postgres table public.scores")
                .contains("key [id], columns all non-key, mode mirror, update_fields all; 4 writers, rate limit "
                        + "20.0 requests/s; guards: deletes <= 25%, changes <= 100% of the snapshot; retry: 5 attempts, "
                        + "backoff 500-30000 ms; lock 720 min; state /var/lib/backflow/scores")
                .doesNotContain("hunter2").doesNotContain("Optional").doesNotContain("PT0.5S");
    }
}

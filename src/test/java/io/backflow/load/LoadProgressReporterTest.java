package io.backflow.load;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoadProgressReporterTest {

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void reportsTheRunsTotalPercentageRateAgainstTheLimitAndTimeLeft(@TempDir Path directory) {
        LoadProgress progress = new LoadProgress(directory.toString(), new Configuration());
        MovingClock clock = new MovingClock();
        LoadProgressReporter reporter = new LoadProgressReporter(progress, 200_000, 1_000, Optional.of(2_000.0),
                clock);
        for (int batch = 0; batch < 41; batch++) {
            progress.recordDelivered(batch % 2, batch, List.of());
        }
        clock.now = clock.now.plusSeconds(41);

        assertThat(progress.recordedBatches()).isEqualTo(41);
        assertThat(reporter.line(progress.recordedBatches())).isEqualTo("Load progress: ~41000 of 200000 changes "
                + "(21%) in 41s, 1000 changes/s (limit 2000/s), about 2m39s left");
    }

    @Test
    void batchesAnEarlierRunDeliveredCountAsDoneButNotInTheRate(@TempDir Path directory) {
        LoadProgress progress = new LoadProgress(directory.toString(), new Configuration());
        progress.recordDelivered(0, 0, List.of());
        progress.recordDelivered(0, 1, List.of());
        MovingClock clock = new MovingClock();
        LoadProgressReporter reporter = new LoadProgressReporter(progress, 300, 100, Optional.empty(), clock);

        assertThat(reporter.line(2)).isEqualTo("Load progress: ~200 of 300 changes (67%) in 0s, 0 changes/s, "
                + "time left unknown");
        clock.now = clock.now.plusSeconds(10);
        assertThat(reporter.line(3)).isEqualTo("Load progress: ~300 of 300 changes (100%) in 10s, 10 changes/s, "
                + "about 0s left");
        reporter.close();
    }
}

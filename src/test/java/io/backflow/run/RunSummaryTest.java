package io.backflow.run;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunSummaryTest {

    private static RunSummary summary(RunStatus status, long sent, Map<String, Long> phases) {
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        return new RunSummary("r1", "scores", "run", "mirror", start, start.plusSeconds(12), status, null,
                Map.of("INSERT", 10L, "UPDATE", 5L, "DELETE", 1L), Map.of("INSERT", 10L, "UPDATE", 5L, "DELETE", 1L),
                0, 0, 0, 0, 0, 0, 2, Optional.of(1L), Optional.empty(), Optional.empty(), phases, List.of(), Map.of(),
                sent);
    }

    @Test
    void theSummarySeparatesWhatWasPlannedFromWhatWasSent() {
        String guardStop = summary(RunStatus.STOPPED_BY_GUARD, 0, Map.of("diff", 9000L)).summaryLine();

        assertThat(guardStop).contains("inserts=10 updates=5 deletes=1 to_send=16 sent=0 delivered=0")
                .endsWith("in 12.0 s [diff 9.0 s]");
    }

    @Test
    void aRunStoppedBeforeAnyPhaseHasNoEmptyBrackets() {
        assertThat(summary(RunStatus.STOPPED_BY_GUARD, 0, Map.of()).summaryLine()).endsWith("in 12.0 s");
    }
}

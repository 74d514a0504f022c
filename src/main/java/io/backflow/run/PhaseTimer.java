package io.backflow.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Times a run's phases in order, for the summary, the run record and the logs. */
final class PhaseTimer {

    private final Map<String, Long> millisByPhase = new LinkedHashMap<>();

    <T> T time(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            millisByPhase.merge(phase, (System.nanoTime() - start) / 1_000_000, Long::sum);
        }
    }

    void time(String phase, Runnable work) {
        time(phase, () -> {
            work.run();
            return null;
        });
    }

    long millis(String phase) {
        return millisByPhase.getOrDefault(phase, 0L);
    }

    Map<String, Long> all() {
        return new LinkedHashMap<>(millisByPhase);
    }
}

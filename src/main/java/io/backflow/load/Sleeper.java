package io.backflow.load;

import java.io.Serializable;
import java.time.Duration;

/** Waits. Injected into retry and rate-limit code so tests control time. */
@FunctionalInterface
public interface Sleeper extends Serializable {

    /** Sleeps the current thread; restores the interrupt flag and fails if interrupted. */
    Sleeper SYSTEM = duration -> {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting " + duration, e);
        }
    };

    void sleep(Duration duration);
}

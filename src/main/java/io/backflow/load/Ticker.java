package io.backflow.load;

import java.io.Serializable;

/** A monotonic nanosecond clock. Injected so tests control time. */
@FunctionalInterface
public interface Ticker extends Serializable {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}

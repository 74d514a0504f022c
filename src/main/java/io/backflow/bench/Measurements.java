package io.backflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The timed passes of one measurement, in milliseconds (or bytes); reported as their median. */
final class Measurements {

    private final List<Long> millis = new ArrayList<>();

    void add(long value) {
        millis.add(value);
    }

    List<Long> all() {
        return List.copyOf(millis);
    }

    /** The median in seconds; the mean of the middle two for an even count. */
    double medianSeconds() {
        return median() / 1000.0;
    }

    /** The median in the measurement's own unit; the mean of the middle two for an even count. */
    double median() {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
    }
}

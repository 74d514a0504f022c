package io.backflow.config;

import java.io.Serializable;

/**
 * Limits checked before anything is sent, as fractions of the snapshot's row count. They protect a
 * destination from a broken upstream (an empty model must never wipe it). A first run, with an empty
 * snapshot, is not guarded.
 *
 * @param maxDeleteFraction the run stops if deletes exceed this fraction of the snapshot
 * @param maxChangeFraction the run stops if inserts + updates + deletes exceed this fraction
 */
public record Guards(double maxDeleteFraction, double maxChangeFraction) implements Serializable {

    public static final double DEFAULT_MAX_DELETE_FRACTION = 0.25;
    public static final double DEFAULT_MAX_CHANGE_FRACTION = 1.0;

    public static Guards defaults() {
        return new Guards(DEFAULT_MAX_DELETE_FRACTION, DEFAULT_MAX_CHANGE_FRACTION);
    }
}

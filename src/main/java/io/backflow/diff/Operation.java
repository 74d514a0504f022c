package io.backflow.diff;

/** What a change does to a key's row in the destination. */
public enum Operation {
    /** The key is new to the snapshot. */
    INSERT,
    /** The key is in the snapshot and its synced values changed. */
    UPDATE,
    /** The key left the model. */
    DELETE
}

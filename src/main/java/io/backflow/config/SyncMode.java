package io.backflow.config;

import io.backflow.diff.Operation;

import java.util.EnumSet;
import java.util.Set;

/** Which kinds of change a sync sends to its destination. */
public enum SyncMode {
    /** Insert new keys and update changed ones; keys that left the model stay in the destination. */
    UPSERT(EnumSet.of(Operation.INSERT, Operation.UPDATE)),
    /** Update rows that already exist in the destination; never create or delete. */
    UPDATE(EnumSet.of(Operation.INSERT, Operation.UPDATE)),
    /** Create rows for keys new to the model; never touch existing rows. */
    INSERT(EnumSet.of(Operation.INSERT)),
    /** Make the destination equal the model: insert, update and delete. */
    MIRROR(EnumSet.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE));

    private final Set<Operation> sentOperations;

    SyncMode(Set<Operation> sentOperations) {
        this.sentOperations = sentOperations;
    }

    /**
     * The diff operations this mode acts on. In {@code update} mode a key new to the snapshot may still
     * exist in the destination (written by someone else), so it is sent too, as an update-only write.
     */
    public Set<Operation> sentOperations() {
        return EnumSet.copyOf(sentOperations);
    }

    /** The config spelling of this mode. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.backflow.config;

import java.util.Locale;

/**
 * What an update sends: only the synced columns whose value changed since the last delivery, or every
 * synced column. Inserts always send every column, and so does an update of a key whose state at the
 * destination is uncertain (a run died while loading it, its delivery failed, a full resync).
 */
public enum UpdateFields {
    /** The key and the changed columns: edits made at the destination to other fields survive. */
    CHANGED,
    /** The key and every synced column: the destination's row is overwritten with the model's. */
    ALL;

    /**
     * The default for a destination type: {@code changed} for APIs (a CRM record is shared with people and
     * other tools, and each property written counts against its quotas), {@code all} for the others (a
     * PostgreSQL table a sync owns takes a full-row upsert as one statement, which also repairs drift).
     */
    public static UpdateFields defaultFor(String destinationType) {
        return switch (destinationType) {
            case "http", "hubspot", "salesforce" -> CHANGED;
            default -> ALL;
        };
    }

    /** The config spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

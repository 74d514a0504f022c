package io.backflow.diff;

/**
 * Names of the columns Backflow adds to the model, snapshot, plan and reports. The prefix is reserved:
 * a model column may not start with it.
 */
public final class Columns {

    public static final String RESERVED_PREFIX = "_backflow_";
    /** The row hash over the synced columns (long). */
    public static final String HASH = "_backflow_hash";
    /** The snapshot's hash, during the diff. */
    public static final String PREVIOUS_HASH = "_backflow_previous_hash";
    /**
     * Prefix of a synced column's value hash in the snapshot, the model and the plan: {@code _backflow_hash:ltv}
     * holds the hash of {@code ltv}'s value (long; see {@link RowHash}).
     */
    public static final String FIELD_HASH_PREFIX = "_backflow_hash:";
    /**
     * The plan's list of the synced columns an update changed (array of column names, in model order); null for
     * inserts, deletes and updates that must send every column because the destination's state of the key is
     * uncertain (a pending key, a full resync).
     */
    public static final String CHANGED = "_backflow_changed";
    /**
     * Between the diff and {@link ChangedColumns}: whether a change must send every column whatever changed (a
     * pending key, a full resync). Not in a stored plan once its changed columns are named.
     */
    public static final String SENDS_ALL = "_backflow_sends_all";
    /** The change's operation ({@link Operation} name, or an invalid-key marker). */
    public static final String OPERATION = "_backflow_op";
    /** How many model rows share this row's key, during the diff. */
    public static final String KEY_ROWS = "_backflow_key_rows";
    /** The run a plan row or report row belongs to. */
    public static final String RUN_ID = "_backflow_run_id";

    /** Plan marker: a model row whose key has a null column. */
    public static final String NULL_KEY = "NULL_KEY";
    /** Plan marker: a model row whose key appears more than once. */
    public static final String DUPLICATE_KEY = "DUPLICATE_KEY";

    private Columns() {
    }

    /** The name of {@code column}'s value hash column. */
    public static String fieldHash(String column) {
        return FIELD_HASH_PREFIX + column;
    }

    /** Backquotes a column name for Spark SQL expressions, escaping backquotes inside it. */
    public static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}

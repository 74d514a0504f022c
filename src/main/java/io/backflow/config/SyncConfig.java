package io.backflow.config;

import java.util.List;
import java.util.Optional;

/**
 * One sync, parsed and validated. Immutable; built only by {@link ConfigLoader}.
 *
 * @param name the sync's name; its state lives under {@code statePath/name}
 * @param source where the model comes from
 * @param key the key columns, in order; at least one
 * @param columns the synced (non-key) columns; empty means every non-key column of the source
 * @param mode which changes are sent
 * @param statePath the root of all syncs' state (local path or Hadoop FileSystem URI)
 * @param writers parallel destination writers (Spark partitions of the load)
 * @param rateLimit the global request limit, if any
 * @param guards the limits checked before sending
 * @param retry how transient destination errors are retried
 * @param lockTimeout how long a run's lock holds before another run may take it over (its run is presumed
 *     dead)
 * @param updateFields what an update sends: the changed columns or all of them
 * @param destination where changes are sent
 */
public record SyncConfig(
        String name,
        SourceConfig source,
        List<String> key,
        Optional<List<String>> columns,
        SyncMode mode,
        String statePath,
        int writers,
        Optional<RateLimit> rateLimit,
        Guards guards,
        RetryPolicy retry,
        java.time.Duration lockTimeout,
        UpdateFields updateFields,
        DestinationConfig destination) {

    public static final int DEFAULT_WRITERS = 4;
    public static final int DEFAULT_LOCK_TIMEOUT_MINUTES = 720;

    public SyncConfig {
        key = List.copyOf(key);
        columns = columns.map(List::copyOf);
    }

    /** This sync's own state directory: {@code statePath/name}. */
    public String syncStatePath() {
        return statePath.endsWith("/") ? statePath + name : statePath + "/" + name;
    }
}

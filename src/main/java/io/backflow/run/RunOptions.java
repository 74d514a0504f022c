package io.backflow.run;

import java.util.Optional;

/**
 * How a run was asked to behave.
 *
 * @param forceReason present when {@code --force} overrides the guards; the reason is logged and recorded
 * @param fullResync {@code --full-resync}: send every model row as an upsert (and, in mirror mode, delete
 *     keys that left the model) whatever the snapshot says
 */
public record RunOptions(Optional<String> forceReason, boolean fullResync) {

    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), false);
    }
}

package io.backflow.run;

import java.util.Optional;

/**
 * How a run was asked to behave.
 *
 * @param forceReason present when {@code --force} overrides the guards; the reason is logged and recorded
 */
public record RunOptions(Optional<String> forceReason) {

    public static RunOptions defaults() {
        return new RunOptions(Optional.empty());
    }
}

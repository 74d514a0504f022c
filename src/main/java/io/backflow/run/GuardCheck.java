package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.config.Guards;

import java.util.Optional;

/**
 * Stops a run before anything is sent when it would delete or change too much of the destination, as
 * a fraction of the snapshot. An empty model after a broken upstream must never wipe a destination.
 */
final class GuardCheck {

    private GuardCheck() {
    }

    /**
     * @return a description of the override if {@code forceReason} let a violation through
     * @throws BackflowException {@code GUARD_STOP} with the numbers, if a guard is exceeded and not forced
     */
    static Optional<String> check(String syncName, Guards guards, long snapshotRows, long deletes, long changes,
            Optional<String> forceReason) {
        if (snapshotRows == 0) {
            return Optional.empty();
        }
        Optional<String> violation = Optional.empty();
        double deleteFraction = (double) deletes / snapshotRows;
        double changeFraction = (double) changes / snapshotRows;
        if (deleteFraction > guards.maxDeleteFraction()) {
            violation = Optional.of(String.format(java.util.Locale.ROOT,
                    "%d deletes are %.1f%% of the snapshot's %d rows, above guards.max_delete_fraction %s",
                    deletes, deleteFraction * 100, snapshotRows, guards.maxDeleteFraction()));
        } else if (changeFraction > guards.maxChangeFraction()) {
            violation = Optional.of(String.format(java.util.Locale.ROOT,
                    "%d changes are %.1f%% of the snapshot's %d rows, above guards.max_change_fraction %s",
                    changes, changeFraction * 100, snapshotRows, guards.maxChangeFraction()));
        }
        if (violation.isEmpty()) {
            return Optional.empty();
        }
        if (forceReason.isPresent()) {
            return Optional.of(violation.get() + "; overridden with --force: " + forceReason.get());
        }
        throw new BackflowException(BackflowException.Category.GUARD_STOP, "Stopped '" + syncName
                + "' before sending anything: " + violation.get() + ". Check the model; if the change is intended, "
                + "rerun with --force=\"<reason>\".");
    }
}

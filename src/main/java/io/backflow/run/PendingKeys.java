package io.backflow.run;

import io.backflow.diff.Columns;
import io.backflow.diff.Operation;
import io.backflow.load.LoadResults;
import io.backflow.state.FailureStore;
import io.backflow.state.PlanStore;
import io.backflow.state.SnapshotStore;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;

/**
 * Keys whose state at the destination is uncertain, which the next diff must resend whatever the
 * snapshot says:
 * <ul>
 *   <li>every key of a run that started loading and died before its snapshot commit: any part of its
 *       changes may have been applied, and the model may have moved on since (a key it inserted may have
 *       left the model; a value it updated may have gone back to the snapshot's);</li>
 *   <li>every key whose delivery failed in the run that made the current snapshot version: a failure may
 *       be ambiguous (a transaction whose commit reply was lost may have been applied).</li>
 * </ul>
 * Resending is safe because every write is idempotent.
 */
final class PendingKeys {

    private static final Logger LOG = LoggerFactory.getLogger(PendingKeys.class);

    private PendingKeys() {
    }

    /** The pending keys (key columns, distinct), or empty when there are none. */
    static Optional<Dataset<Row>> find(SnapshotStore snapshot, PlanStore plans, FailureStore failures,
            List<String> key, Optional<Long> snapshotVersion) {
        Column[] keyColumns = key.stream().map(name -> col(Columns.quoted(name))).toArray(Column[]::new);
        Object[] changeOperations = {Operation.INSERT.name(), Operation.UPDATE.name(), Operation.DELETE.name()};
        Optional<String> lastCommitted = snapshot.lastCommittedRunId();
        List<Dataset<Row>> parts = new ArrayList<>();
        List<String> interrupted = new ArrayList<>();
        List<Long> sameState = snapshotVersion.map(snapshot::sameStateVersions).orElse(List.of());
        for (Optional<Long> version : sameState.isEmpty() ? List.of(snapshotVersion)
                : sameState.stream().map(Optional::of).toList()) {
            plans.interruptedPlans(lastCommitted, version).forEach(plan -> interrupted.add(plan.runId()));
        }
        for (String runId : interrupted) {
            parts.add(plans.read(runId).where(col(Columns.OPERATION).isin(changeOperations)).select(keyColumns));
        }
        List<String> died = interrupted.stream().filter(runId -> !plans.progress(runId).isFinished()).toList();
        if (!died.isEmpty()) {
            LOG.warn("Runs {} died while loading: their keys are resent to make the destination certain", died);
        }
        if (died.size() < interrupted.size()) {
            LOG.info("Runs {} delivered none of their changes: their keys are sent again",
                    interrupted.stream().filter(runId -> !died.contains(runId)).toList());
        }
        if (lastCommitted.isPresent() && failures.exists()) {
            parts.add(failures.forRun(lastCommitted.get())
                    .where(col(LoadResults.STATUS).equalTo(LoadResults.STATUS_FAILED)).select(keyColumns));
        }
        // Pending keys cost the diff a join even when there are none; a small read of the state tells.
        return parts.stream().reduce(Dataset::union).map(Dataset::distinct).filter(keys -> !keys.isEmpty());
    }
}

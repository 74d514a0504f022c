package io.backflow.run;

import io.backflow.diff.ModelFingerprint;
import io.backflow.state.PlanStore;
import io.backflow.state.PlanStore.StartedPlan;
import io.backflow.state.SnapshotStore;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a run resumes the plan of a run that died while loading, instead of diffing again.
 * It resumes the newest such plan made against the current snapshot version when the load would cut it
 * into the same batches (same writers, batch size, mode and destination) and the model is unchanged
 * (same {@link ModelFingerprint}); the batches that run delivered are then not sent again. Otherwise the
 * run replans, and the interrupted plan's keys are resent in full (see {@link PendingKeys}).
 */
final class PlanResume {

    /**
     * @param planRunId the run whose plan to load
     * @param note what the run tells the user about it
     */
    record Decision(Optional<String> planRunId, Optional<String> note) {

        static Decision replan() {
            return new Decision(Optional.empty(), Optional.empty());
        }

        static Decision replan(String note) {
            return new Decision(Optional.empty(), Optional.of(note));
        }
    }

    private final PlanStore plans;
    private final SnapshotStore snapshot;

    PlanResume(PlanStore plans, SnapshotStore snapshot) {
        this.plans = plans;
        this.snapshot = snapshot;
    }

    /**
     * @param snapshotVersion the snapshot version this run starts from
     * @param loadSettings this run's load settings, as {@link PlanStore#markLoadStarted} records them
     * @param currentModel computes the model's fingerprint now (one read of the model); asked only when a
     *     plan could be resumed
     */
    Decision decide(Optional<Long> snapshotVersion, String loadSettings, Supplier<ModelFingerprint> currentModel) {
        List<StartedPlan> interrupted = plans.interruptedPlans(snapshot.lastCommittedRunId(), snapshotVersion);
        if (interrupted.isEmpty()) {
            return Decision.replan();
        }
        StartedPlan newest = interrupted.get(interrupted.size() - 1);
        String runId = newest.runId();
        if (plans.progress(runId).isFinished()) {
            // It ended normally (every record failed, so there was nothing to commit): it did not die.
            return Decision.replan("Run " + runId + " delivered none of its changes (see `failures --run " + runId
                    + "`): replanning, and its changes are sent again.");
        }
        if (newest.modelFingerprint().isEmpty() || newest.loadSettings().isEmpty()) {
            // An undo's plan, or a model Spark reported no fingerprint for (see ModelFingerprint#of).
            return Decision.replan("Run " + runId + " died while loading, and its plan cannot be resumed (it "
                    + "records no model fingerprint): replanning, and its changes are resent.");
        }
        if (!newest.loadSettings().get().equals(loadSettings)) {
            return Decision.replan("Run " + runId + " died while loading, and the load settings changed since ("
                    + newest.loadSettings().get() + " then, " + loadSettings + " now), so its batches cannot be "
                    + "matched: replanning, and its changes are resent.");
        }
        ModelFingerprint now = currentModel.get();
        ModelFingerprint then = newest.modelFingerprint().get();
        if (!now.equals(then)) {
            return Decision.replan("Run " + runId + " died while loading, and the model changed since it was planned ("
                    + then.rows() + " rows then, " + now.rows() + " now" + (then.rows() == now.rows()
                    ? ", different values" : "") + "): replanning, and its changes are resent.");
        }
        return new Decision(Optional.of(runId), Optional.of("Resuming run " + runId + ", which died while loading: "
                + "the model is unchanged, so its plan is loaded without a new diff (its guards were checked when it "
                + "was planned), and the batches it delivered are not sent again."));
    }
}

package io.backflow.run;

import io.backflow.BackflowException;
import io.backflow.config.SyncConfig;
import io.backflow.config.SyncMode;
import io.backflow.diff.Columns;
import io.backflow.diff.KeyedModel;
import io.backflow.diff.ModelFingerprint;
import io.backflow.diff.Operation;
import io.backflow.diff.RowHash;
import io.backflow.load.ChangeLayout;
import io.backflow.load.Destination;
import io.backflow.load.LoadMetrics;
import io.backflow.load.LoadProgress;
import io.backflow.load.LoadProgressReporter;
import io.backflow.load.LoadResults;
import io.backflow.load.Loader;
import io.backflow.load.Sleeper;
import io.backflow.source.Sources;
import io.backflow.state.FailureStore;
import io.backflow.state.FailureStore.FailureGroup;
import io.backflow.state.PlanStore;
import io.backflow.state.RunLock;
import io.backflow.state.SnapshotStore;
import io.backflow.state.StateLayout;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.col;

/**
 * One sync run, phase by phase: diff the model against the snapshot into a stored plan (or resume the
 * plan of a run that died while loading), check keys and guards, load the changes through the partition
 * writers, then commit the delivered changes to the snapshot. Nothing is sent before the plan is stored
 * and checked; the snapshot moves only after the load, and only for delivered keys. {@link #undo} runs
 * the same phases on a plan that restores an earlier snapshot version.
 */
public final class SyncRun {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);
    /** How often the driver logs the load's progress. */
    private static final java.time.Duration PROGRESS_INTERVAL = java.time.Duration.ofSeconds(15);

    private final SparkSession spark;
    private final SyncConfig config;
    private final Destination destination;
    private final Sleeper sleeper;
    private final StateLayout layout;
    private final SnapshotStore snapshot;
    private final PlanStore plans;
    private final FailureStore failures;
    private final PlanResume resume;

    public SyncRun(SparkSession spark, SyncConfig config, Destination destination, Sleeper sleeper) {
        this.spark = spark;
        this.config = config;
        this.destination = destination;
        this.sleeper = sleeper;
        this.layout = new StateLayout(config.syncStatePath());
        this.snapshot = new SnapshotStore(spark, layout);
        this.plans = new PlanStore(spark, layout);
        this.failures = new FailureStore(spark, layout);
        this.resume = new PlanResume(plans, snapshot);
    }

    /** Runs the sync: plan, guards, load, commit. Records the run whatever happens; never throws for
     * bad input, guard stops or destination failures (they are in the summary's status). */
    public RunSummary run(RunOptions options) {
        return execute("run", options, true, state -> planRun(state, options, true));
    }

    /** A dry run: stores and checks the plan but sends nothing and leaves the snapshot alone. */
    public RunSummary plan() {
        RunOptions options = RunOptions.defaults();
        return execute("plan", options, false, state -> planRun(state, options, false));
    }

    /**
     * Plans, and with {@code apply} sends and commits, the changes that restore the destination to its state
     * before run {@code undoneRunId}: the snapshot version that run started from (Delta time travel). Every
     * operation is sent whatever the sync mode, since restoring means deleting what the run inserted. Runs
     * after it are undone too, as the state before it is restored.
     */
    public RunSummary undo(String undoneRunId, boolean apply, RunOptions options) {
        // A dry undo is recorded as its own command, so the history does not show it as a restore.
        return execute(apply ? "undo" : "undo-plan", options, apply, state -> planUndo(state, undoneRunId));
    }

    /** Stores (or finds) the run's plan and says how to send it. */
    private interface Planner {
        ChangeLayout plan(RunState state);
    }

    private RunSummary execute(String command, RunOptions options, boolean send, Planner planner) {
        RunState state = new RunState(command, RunIds.next(), Instant.now(), config.mode().sentOperations());
        LOG.info("Starting {} of '{}' as run {}: {} -> {}", command, config.name(), state.runId,
                Sources.create(config.source()).describe(), destination.describe());
        RunLock lock = new RunLock(spark, layout, config.name(), Clock.systemUTC());
        boolean locked = false;
        try {
            if (!command.startsWith("undo")) {
                // Schemas only: a missing model, key or column is told in seconds, before the lock and the state.
                state.timer.time("check", () -> SyncDiff.keyedModel(spark, config));
            }
            if (send) {
                state.timer.time("lock", () -> lock.acquire(state.runId, config.lockTimeout(),
                        options.forceReason().isPresent()));
                locked = true;
                LOG.info("Took the lock of '{}' in {} ms", config.name(), state.timer.millis("lock"));
            }
            state.timer.time("state", () -> {
                completeIncompleteCommit(state, send);
                state.snapshotBefore = snapshot.version();
            });
            LOG.info("Snapshot at version {} ({} ms); planning", state.snapshotBefore.map(String::valueOf)
                    .orElse("none (first run)"), state.timer.millis("state"));
            ChangeLayout changeLayout = state.timer.time("diff", () -> planner.plan(state));
            LOG.info("Plan {} stored in {} ms", state.planRunId, state.timer.millis("diff"));
            state.diffCounts = state.timer.time("diff", () -> plans.countByOperation(state.planRunId));
            state.updatesByColumn = state.timer.time("diff", () -> plans.countChangedColumns(state.planRunId));
            KeyProblems.check(config.name(), state.diffCounts, plans, state.planRunId, changeLayout);
            state.diffCounts.remove(Columns.NULL_KEY);
            state.diffCounts.remove(Columns.DUPLICATE_KEY);
            for (Operation operation : state.sentOperations) {
                state.sentCounts.put(operation.name(), state.diffCounts.getOrDefault(operation.name(), 0L));
            }
            long deletes = state.sentCounts.getOrDefault(Operation.DELETE.name(), 0L);
            long changes = state.sentCounts.values().stream().mapToLong(Long::longValue).sum();
            if (state.resumedFrom.isEmpty()) {
                // A full resync sends every row on purpose: only the delete guard still protects it.
                long guardedChanges = options.fullResync() ? deletes : changes;
                state.forceNote = GuardCheck.check(config.name(), config.guards(), snapshot.rowCount(), deletes,
                        guardedChanges, options.forceReason());
                state.forceNote.ifPresent(note -> state.note("Guard overridden: " + note + "."));
            }
            if (send) {
                prepareDestination(changeLayout, changes > 0);
                if (changes > 0) {
                    loadAndCommit(state, changeLayout);
                }
                state.status = state.failed > 0 ? RunStatus.FINISHED_WITH_FAILURES : RunStatus.SUCCEEDED;
            } else {
                state.status = RunStatus.SUCCEEDED;
                state.message = "dry run: nothing sent, snapshot unchanged";
            }
        } catch (BackflowException e) {
            state.status = RunStatus.of(e.category());
            state.message = e.getMessage();
            LOG.error(e.getMessage(), state.status == RunStatus.ERROR ? e : null);
        } catch (Exception e) {
            // Spark's SparkException is checked but thrown undeclared from Scala, hence Exception here.
            state.status = RunStatus.ERROR;
            state.message = "Run failed before the snapshot was committed; the next run resends what is missing. "
                    + e;
            LOG.error(state.message, e);
        } finally {
            if (locked) {
                lock.release(state.runId);
            }
        }
        return finish(state);
    }

    /**
     * Resumes an interrupted plan when that is safe (see {@link PlanResume}); otherwise diffs the model
     * against the snapshot and stores the result as this run's plan.
     */
    private ChangeLayout planRun(RunState state, RunOptions options, boolean send) {
        Loader loader = loader();
        if (send && !options.fullResync()) {
            PlanResume.Decision decision = resume.decide(state.snapshotBefore, loadSettings(loader),
                    () -> ModelFingerprint.compute(SyncDiff.keyedModel(spark, config)));
            decision.note().ifPresent(state::note);
            if (decision.planRunId().isPresent()) {
                state.planRunId = decision.planRunId().get();
                state.resumedFrom = decision.planRunId();
                KeyedModel model = SyncDiff.keyedModel(spark, config);
                return new ChangeLayout(plans.read(state.planRunId).schema(), model.key(), model.columns(),
                        config.mode(), config.updateFields());
            }
        }
        // Pending keys are those of plans made against the state before any alignment below.
        Optional<Long> stateVersion = state.snapshotBefore;
        SyncDiff diff = SyncDiff.of(spark, config, snapshot, options.fullResync(),
                () -> PendingKeys.find(snapshot, plans, failures, config.key(), stateVersion),
                send ? Optional.of(state.runId) : Optional.empty());
        if (!diff.schemaChanges().isEmpty()) {
            state.note("Schema change since the last run: " + String.join("; ", diff.schemaChanges()) + ".");
        }
        diff.alignment().ifPresent(alignment -> {
            state.snapshotBefore = Optional.of(alignment.version());
            if (alignment.schemeBefore() != RowHash.SCHEME) {
                state.note("Snapshot upgraded to hash scheme " + RowHash.SCHEME + " (values hashed by value, not by "
                        + "type, with one hash per column): " + alignment.rows() + " rows re-hashed from their stored "
                        + "values in version " + alignment.version() + "; unchanged rows are not resent.");
            }
        });
        if (options.fullResync()) {
            state.note("Full resync: every model row is sent as an upsert.");
        }
        diff.store(plans, state.runId, state.snapshotBefore);
        state.modelFingerprint = send ? diff.modelFingerprint() : Optional.empty();
        if (send && state.modelFingerprint.isEmpty()) {
            LOG.info("Spark reported no fingerprint of the model (it prunes the metrics of an empty input); if this "
                    + "run dies while loading, the next run resends its changes in full instead of resuming.");
        }
        return diff.layout();
    }

    /**
     * Stores, as this run's plan, the changes that restore the snapshot version run {@code undoneRunId} started
     * from. Mirror mode sends them all; the other modes send what they send in a run, so a row the sync does
     * not own is never deleted.
     */
    private ChangeLayout planUndo(RunState state, String undoneRunId) {
        UndoPlan undo = UndoPlan.of(spark, config.name(), new RunHistory(spark, layout), snapshot, undoneRunId,
                () -> PendingKeys.find(snapshot, plans, failures, config.key(), state.snapshotBefore));
        state.note("Undo of run " + undoneRunId + ": restores snapshot version "
                + undo.targetVersion().map(String::valueOf).orElse("'none' (before the first run)") + " from version "
                + state.snapshotBefore.map(String::valueOf).orElse("none")
                + "; runs after it are undone too. The next run syncs the model again.");
        if (config.mode() != SyncMode.MIRROR) {
            state.note("Mode '" + config.mode().configName() + "' does not delete rows, so keys added since are left "
                    + "at the destination; only mirror mode, which owns the table's rows, deletes them.");
        }
        plans.write(undo.changes(), state.runId, state.snapshotBefore, undo.snapshotFieldHashes(), undo.key(),
                undo.columns());
        return new ChangeLayout(plans.read(state.runId).schema(), undo.key(), undo.columns(), config.mode(),
                config.updateFields());
    }

    private Loader loader() {
        return new Loader(destination, config.writers(), config.rateLimit(), config.retry(), sleeper);
    }

    /** What fixes how a plan is cut into batches: a resumed load must use the same. */
    private String loadSettings(Loader loader) {
        return "writers=" + loader.writers() + " batch_size=" + destination.batchSize() + " mode="
                + config.mode().configName() + " cut=" + Loader.CUT + " destination=" + destination.describe();
    }

    /**
     * Creates or checks the destination table. A destination that cannot be reached now stops the run before its
     * first change: retrying every record against it would only fill the failures table.
     *
     * With nothing to send, an unreachable destination is only logged.
     *
     * @throws BackflowException {@code TRANSIENT_DESTINATION} (exit 5) naming the destination and the cause
     */
    private void prepareDestination(ChangeLayout changeLayout, boolean hasChanges) {
        try {
            destination.prepare(changeLayout);
        } catch (BackflowException e) {
            if (e.category() != BackflowException.Category.TRANSIENT_DESTINATION) {
                throw e;
            }
            if (!hasChanges) {
                LOG.warn("{} is not reachable, but there is nothing to send: {}", destination.describe(),
                        e.getMessage());
                return;
            }
            throw new BackflowException(BackflowException.Category.TRANSIENT_DESTINATION, "Cannot reach "
                    + destination.describe() + ": " + e.getMessage() + ". Nothing was sent and the snapshot is "
                    + "unchanged; run again once the destination is up.", e);
        }
    }

    private void loadAndCommit(RunState state, ChangeLayout changeLayout) {
        Dataset<Row> toSend = toSend(state.planRunId, state.sentOperations);
        Loader loader = loader();
        LoadMetrics metrics = new LoadMetrics(spark.sparkContext());
        LoadProgress progress = plans.progress(state.planRunId);
        state.writers = loader.writers();
        LOG.info("Loading {} changes with {} writers", state.sentCounts, loader.writers());
        if (state.resumedFrom.isEmpty()) {
            plans.markLoadStarted(state.runId, state.modelFingerprint, loadSettings(loader));
        }
        long planned = state.sentCounts.values().stream().mapToLong(Long::longValue).sum();
        try (LoadProgressReporter reporter = LoadProgressReporter.start(progress, planned, destination.batchSize(),
                config.rateLimit().map(limit -> limit.requestsPerSecond() * destination.batchSize()),
                PROGRESS_INTERVAL)) {
            state.timer.time("load", () -> failures.append(
                    loader.load(toSend, changeLayout, state.runId, progress, metrics), state.runId));
        }
        progress.markFinished();
        state.requests = metrics.requests();
        state.retries = metrics.retries();
        state.splits = metrics.splits();
        LOG.info("Load: {} requests, {} retries, {} batch splits, {} ms spent waiting for the rate limit",
                state.requests, state.retries, state.splits, metrics.rateLimitWaitMillis());
        if (metrics.alreadyDelivered() > 0) {
            state.note(metrics.alreadyDelivered() + " changes delivered " + (state.resumedFrom.isPresent()
                    ? "by run " + state.planRunId + " before it died" : "by failed attempts of writer tasks")
                    + " were not sent again.");
        }
        state.failureGroups = failures.summarize(state.runId);
        for (FailureGroup group : state.failureGroups) {
            if (group.status().equals(LoadResults.STATUS_FAILED)) {
                state.failed += group.count();
            } else {
                state.skipped += group.count();
            }
        }
        state.sent = planned - metrics.alreadyDelivered();
        state.delivered = planned - state.failed - state.skipped;
        Dataset<Row> settled = settled(toSend, state.runId);
        if (!snapshot.version().equals(state.snapshotBefore)) {
            throw new IllegalStateException("The snapshot moved from version "
                    + state.snapshotBefore.map(String::valueOf).orElse("none") + " to " + snapshot.version().orElse(-1L)
                    + " during this run: another run of '" + config.name() + "' committed meanwhile. Not committing; "
                    + "the next run resends this run's changes.");
        }
        if (state.delivered + state.skipped == 0) {
            LOG.warn("Nothing was delivered; the snapshot stays at version {}",
                    state.snapshotBefore.map(String::valueOf).orElse("none"));
            return;
        }
        state.timer.time("load", () -> destination.publish(settled, changeLayout, state.runId));
        state.snapshotAfter = Optional.of(state.timer.time("commit",
                () -> snapshot.commit(settled, state.delivered + state.skipped, changeLayout.key(),
                        changeLayout.columns(), new SnapshotStore.Delivery(state.runId, state.planRunId,
                                state.sentOperations))));
        try {
            progress.delete();
        } catch (UncheckedIOException e) {
            // The commit stands; a leftover log is never read again (its plan is older than the last commit).
            LOG.warn("Could not remove the load progress of run {}; it can be deleted by hand", state.planRunId, e);
        }
    }

    /** The plan rows of the operations the sync's mode sends. */
    private Dataset<Row> toSend(String planRunId, Set<Operation> operations) {
        Column[] sentOperations = operations.stream()
                .map(operation -> org.apache.spark.sql.functions.lit(operation.name())).toArray(Column[]::new);
        return plans.read(planRunId).where(col(Columns.OPERATION).isin((Object[]) sentOperations));
    }

    /**
     * The sent changes the snapshot takes: all but the failed ones. Skipped records (an update for a row the
     * destination lacks) are settled, so they are not resent every run; only failed records keep their old
     * state.
     */
    private Dataset<Row> settled(Dataset<Row> sent, String runId) {
        Dataset<Row> failed = failures.forRun(runId)
                .where(col(LoadResults.STATUS).equalTo(LoadResults.STATUS_FAILED));
        return sent.join(failed, JavaConverters.asScalaBuffer(config.key()).toSeq(), "left_anti");
    }

    /**
     * Finishes a snapshot commit that stopped after removing its delivered keys (see
     * {@link SnapshotStore#commit}): adds their rows, from that run's plan and failures, before anything
     * reads the snapshot. A dry run ({@code plan}), which holds no lock, refuses to plan against it.
     */
    private void completeIncompleteCommit(RunState state, boolean send) {
        Optional<SnapshotStore.Delivery> incomplete = snapshot.incompleteCommit();
        if (incomplete.isEmpty()) {
            return;
        }
        SnapshotStore.Delivery interrupted = incomplete.get();
        if (!send) {
            throw new BackflowException(BackflowException.Category.GUARD_STOP, "Cannot plan '" + config.name()
                    + "': the snapshot commit of run " + interrupted.runId() + " stopped half way (its delivered keys "
                    + "are removed, their rows not added yet). The next `run` completes it before it diffs; a plan "
                    + "alone does not change the snapshot.");
        }
        LOG.warn("The snapshot commit of run {} stopped after removing its delivered keys; adding their rows now",
                interrupted.runId());
        Dataset<Row> delivered = settled(toSend(interrupted.planRunId(), interrupted.operations()),
                interrupted.runId());
        long version = snapshot.completeCommit(interrupted, delivered);
        state.note("Completed the snapshot commit of run " + interrupted.runId() + ", which stopped half way "
                + "(snapshot version " + version + ").");
    }

    private RunSummary finish(RunState state) {
        RunSummary summary = state.summary(config.name(), config.mode().configName(), Instant.now());
        try {
            String report = new RunRecorder(spark, layout).record(summary);
            LOG.info("Run report: {}", report);
        } catch (Exception e) {
            // The run's outcome stands even if its record cannot be written; say so loudly.
            LOG.error("Could not record run {} in {}", state.runId, layout.runs(), e);
        }
        return summary;
    }
}

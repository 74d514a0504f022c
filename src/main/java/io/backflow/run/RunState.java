package io.backflow.run;

import io.backflow.diff.ModelFingerprint;
import io.backflow.diff.Operation;
import io.backflow.state.FailureStore.FailureGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mutable state of a {@link SyncRun} in progress, filled phase by phase; turned into an immutable
 * {@link RunSummary} at the end. Used by one thread.
 */
final class RunState {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    final String command;
    final String runId;
    final Instant startedAt;
    final PhaseTimer timer = new PhaseTimer();
    RunStatus status = RunStatus.ERROR;
    String message;
    Map<String, Long> diffCounts = new LinkedHashMap<>();
    final Map<String, Long> sentCounts = new LinkedHashMap<>();
    /** Changes this run put on the wire (not those an earlier run delivered, nor any of a stopped run). */
    long sent;
    long delivered;
    long failed;
    long skipped;
    long requests;
    long retries;
    long splits;
    int writers;
    Optional<Long> snapshotBefore = Optional.empty();
    Optional<Long> snapshotAfter = Optional.empty();
    Optional<String> forceNote = Optional.empty();
    List<FailureGroup> failureGroups = new ArrayList<>();
    /** Planned updates per changed column. */
    Map<String, Long> updatesByColumn = new LinkedHashMap<>();
    /** The run whose plan is loaded: this run's own, or the interrupted run's it resumes. */
    String planRunId;
    Optional<String> resumedFrom = Optional.empty();
    Optional<ModelFingerprint> modelFingerprint = Optional.empty();
    Set<Operation> sentOperations;
    private final List<String> notes = new ArrayList<>();

    RunState(String command, String runId, Instant startedAt, Set<Operation> sentOperations) {
        this.command = command;
        this.runId = runId;
        this.planRunId = runId;
        this.startedAt = startedAt;
        this.sentOperations = sentOperations;
    }

    /** Adds a line to what the run tells the user, and logs it. */
    void note(String note) {
        notes.add(note);
        LOG.warn(note);
    }

    /** The summary of the run as it stands: the notes come first in its message. */
    RunSummary summary(String syncName, String mode, Instant finishedAt) {
        String told = notes.isEmpty() ? message
                : message == null ? String.join(" ", notes) : String.join(" ", notes) + " " + message;
        return new RunSummary(runId, syncName, command, mode, startedAt, finishedAt, status, told, diffCounts,
                sentCounts, delivered, failed, skipped, requests, retries, splits, writers, snapshotBefore,
                snapshotAfter, forceNote, phasesAddingUpTo(java.time.Duration.between(startedAt, finishedAt)),
                failureGroups, updatesByColumn, sent);
    }

    /**
     * The timed phases, plus {@code other} for the time between them (setup, guards, bookkeeping), so the
     * summary's phases add up to its total.
     */
    private java.util.Map<String, Long> phasesAddingUpTo(java.time.Duration total) {
        java.util.Map<String, Long> phases = timer.all();
        long untimed = total.toMillis() - phases.values().stream().mapToLong(Long::longValue).sum();
        if (untimed >= 50) {
            phases.put("other", untimed);
        }
        return phases;
    }
}

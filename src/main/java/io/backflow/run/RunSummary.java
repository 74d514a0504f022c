package io.backflow.run;

import io.backflow.state.FailureStore.FailureGroup;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run did: the content of its summary line, its row in the {@code runs} table and its JSON
 * report.
 *
 * @param diffCounts rows per diff operation (INSERT, UPDATE, DELETE), before the mode filter
 * @param sentCounts changes to send per operation, after the mode filter: the plan's share for this mode
 * @param delivered changes of the plan delivered (by this run, or by the interrupted run it resumed)
 * @param failed changes that failed (retried by the next run)
 * @param skipped changes the mode skipped at the destination (update of a missing row)
 * @param requests destination requests made, retries included
 * @param phaseMillis wall time per phase, in order
 * @param updatesByColumn planned updates per changed synced column ("which columns churn"); updates that send
 *     every column (pending keys, a full resync) are not counted
 * @param sent changes this run sent to the destination: none when it stopped before loading, and not those
 *     the interrupted run it resumed had delivered
 */
public record RunSummary(
        String runId,
        String syncName,
        String command,
        String mode,
        Instant startedAt,
        Instant finishedAt,
        RunStatus status,
        String message,
        Map<String, Long> diffCounts,
        Map<String, Long> sentCounts,
        long delivered,
        long failed,
        long skipped,
        long requests,
        long retries,
        long splits,
        int writers,
        Optional<Long> snapshotVersionBefore,
        Optional<Long> snapshotVersionAfter,
        Optional<String> forceReason,
        Map<String, Long> phaseMillis,
        List<FailureGroup> failureGroups,
        Map<String, Long> updatesByColumn,
        long sent) {

    public RunSummary {
        diffCounts = Map.copyOf(diffCounts);
        sentCounts = Map.copyOf(sentCounts);
        phaseMillis = new LinkedHashMap<>(phaseMillis);
        failureGroups = List.copyOf(failureGroups);
        updatesByColumn = new LinkedHashMap<>(updatesByColumn);
    }

    public int exitCode() {
        return status.exitCode();
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    public long diffCount(String operation) {
        return diffCounts.getOrDefault(operation, 0L);
    }

    public long sentCount(String operation) {
        return sentCounts.getOrDefault(operation, 0L);
    }

    /** Requests per second over the load phase; 0 when nothing was sent. */
    public double achievedRequestsPerSecond() {
        long loadMillis = phaseMillis.getOrDefault("load", 0L);
        return loadMillis == 0 ? 0 : requests * 1000.0 / loadMillis;
    }

    /** The one line every run prints. */
    public String summaryLine() {
        return String.format(java.util.Locale.ROOT,
                "backflow %s %s: %s (exit %d) run=%s inserts=%d updates=%d deletes=%d to_send=%d sent=%d "
                        + "delivered=%d failed=%d skipped=%d requests=%d retries=%d snapshot=%s->%s in %.1f s%s",
                command, syncName, status.name().toLowerCase(java.util.Locale.ROOT), exitCode(), runId,
                sentCount("INSERT"), sentCount("UPDATE"), sentCount("DELETE"), toSend(), sent,
                delivered, failed, skipped, requests, retries, snapshotVersionBefore.map(String::valueOf).orElse("none"),
                snapshotVersionAfter.map(String::valueOf).orElse("unchanged"), duration().toMillis() / 1000.0,
                phaseMillis.isEmpty() ? "" : " [" + describePhases() + "]");
    }

    /** Changes the plan holds for this mode: what the run had to send. */
    public long toSend() {
        return sentCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether the command only planned: {@code plan}, or {@code undo} without {@code --apply}. */
    public boolean isDryRun() {
        return command.equals("plan") || command.equals("undo-plan");
    }

    private String describePhases() {
        StringBuilder text = new StringBuilder();
        phaseMillis.forEach((phase, millis) -> text.append(text.length() > 0 ? ", " : "").append(phase).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0)));
        return text.toString();
    }
}
